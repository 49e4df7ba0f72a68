using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A quadratic with Gaussian per-example gradients, where the batch-size "surge" has closed forms: N examples
/// f_i(x) = 1/2 x^T H x + eps_i^T x over x in R^D, H = diag(lambda) + Rho 1 1^T with lambda spaced evenly over
/// [LambdaLow, LambdaHigh], eps_i ~ N(0, Sigma^2 I) drawn from DataSeed (or the run's seed), x starting at X0 in every
/// coordinate. A batch of B examples gives the gradient H x plus Gaussian noise of variance Sigma^2 / B. The loss a
/// run reports (full_loss) is the population loss L(x) = 1/2 x^T H x, the expectation over examples, which is what
/// the surge formulas (<see cref="Predicted"/>) are about; the batch loss is the batch's own mean of f_i.
/// Rho > 0 couples the coordinates; without it (a diagonal H) a sign-like optimizer's best learning rate only rises
/// with B and never falls.
/// </summary>
public sealed record NoisyQuadratic(
    int N = 1000,
    int D = 50,
    double LambdaLow = 0.5, double LambdaHigh = 1.5,
    double Rho = 0.2,
    double Sigma = 200,
    double X0 = 1,
    Precision Precision = Precision.Float64,
    int? DataSeed = null) : Problem
{
    internal override int Examples => N;
    internal override int Parameters => D;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("n", N), ("d", D), ("rho", Rho), ("sigma", Sigma), ("precision", Precision == Precision.Float64 ? "float64" : "float32")];

    internal override object BatchKey => (nameof(NoisyQuadratic), N, D, LambdaLow, LambdaHigh, Rho, Sigma, X0, Precision);

    /// <summary>The drawn noise [N, D] on the host and twice on the device (as drawn and in the epoch's order), H and a
    /// dozen D-sized tensors.</summary>
    internal override long TensorBytesPerRun(Experiment x) => (long)N * D * 8 * 3 + (long)D * D * 8 + 12L * D * 8;

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        new NoisyQuadraticTensors(runs, device, type);

    public override IEnumerable<string> Errors()
    {
        if (N < 1) yield return $"NoisyQuadratic.N must be >= 1, got {N}: use e.g. 1000";
        if (D < 1) yield return $"NoisyQuadratic.D must be >= 1, got {D}: use e.g. 50";
        if (!(LambdaLow > 0 && LambdaLow <= LambdaHigh && double.IsFinite(LambdaHigh)))
            yield return $"NoisyQuadratic.LambdaLow..LambdaHigh must be a positive range with low <= high, got [{Require.Show(LambdaLow)}, {Require.Show(LambdaHigh)}]: use e.g. 0.5..1.5";
        foreach (var e in Require.NonNegative("NoisyQuadratic.Rho", Rho, "use e.g. 0.2, or 0 for a diagonal Hessian")) yield return e;
        foreach (var e in Require.Positive("NoisyQuadratic.Sigma", Sigma, "use the per-example gradient noise, e.g. 200")) yield return e;
        if (!(double.IsFinite(X0) && X0 != 0)) yield return $"NoisyQuadratic.X0 must be finite and non-zero (x = 0 is the minimum), got {Require.Show(X0)}: use e.g. 1";
    }

    /// <summary>The diagonal of H before the coupling: lambda_k spaced evenly over [LambdaLow, LambdaHigh].</summary>
    internal double[] Lambda => Enumerable.Range(0, D).Select(k => D == 1 ? LambdaLow : LambdaLow + (LambdaHigh - LambdaLow) * k / (D - 1)).ToArray();

    /// <summary>H = diag(lambda) + Rho 1 1^T, row-major [D, D].</summary>
    internal double[] Hessian()
    {
        var lambda = Lambda;
        return Enumerable.Range(0, D * D).Select(k => Rho + (k / D == k % D ? lambda[k / D] : 0)).ToArray();
    }

    /// <summary>The seed the noise of a run with seed <paramref name="runSeed"/> is drawn from.</summary>
    internal int NoiseSeed(int runSeed) => DataSeed ?? runSeed;

    /// <summary>The per-example noise eps_i drawn from <paramref name="noiseSeed"/>, row-major [N, D].</summary>
    internal double[] Noise(int noiseSeed)
    {
        var rng = Rng.For(noiseSeed, "noisy-quadratic");
        return Enumerable.Range(0, N * D).Select(_ => Sigma * rng.Normal()).ToArray();
    }

    /// <summary>The full gradient at the start, g = H x0 (x0 = X0 in every coordinate).</summary>
    double[] StartGradient() => Lambda.Select(l => l * X0 + Rho * D * X0).ToArray();

    /// <summary>
    /// The surge law's prediction for one step from x0 with a batch of B examples. SGD: the expected loss after the
    /// step is L - lr |g|^2 + lr^2 / 2 (g^T H g + Sigma^2 tr H / B), so the best lr is eps_max / (1 + B_noise / B) with
    /// eps_max = |g|^2 / g^T H g and B_noise = Sigma^2 tr H / g^T H g, exactly. Adam's first step is sign descent
    /// (m_hat / sqrt(v_hat) = g / |g|); with E[sign] ~ sqrt(2B / pi) g / Sigma (small signal to noise) the best lr is
    /// eps_max / (0.5 (sqrt(B_noise / B) + sqrt(B / B_noise))) with B_noise = pi tr H / (2 sum_{i != j} H_ij g_i g_j / Sigma^2),
    /// an approximation that loosens once sqrt(B) g / Sigma nears 1.
    /// </summary>
    public SurgeFit Predicted(SurgeLaw law)
    {
        var (lambda, g) = (Lambda, StartGradient());
        double gg = g.Sum(v => v * v), gSum = g.Sum();
        double gHg = g.Select((v, k) => lambda[k] * v * v).Sum() + Rho * gSum * gSum;
        double traceH = lambda.Sum() + D * Rho;
        if (law == SurgeLaw.Sgd) return new SurgeFit(law, gg / gHg, Sigma * Sigma * traceH / gHg, double.NaN);
        double sigma2 = Sigma * Sigma;
        double coupling = Rho * (gSum * gSum - gg) / sigma2;                        // sum_{i != j} H_ij g_i g_j / Sigma^2
        if (coupling <= 0) return new SurgeFit(law, double.PositiveInfinity, double.PositiveInfinity, double.NaN);
        double bNoise = Math.PI * traceH / (2 * coupling);
        // lr(B) = sqrt(2B/pi) (gg / Sigma) / (tr H + (2B/pi) coupling), written in the law's form
        double epsMax = Math.Sqrt(2 / Math.PI) * (gg / Sigma) * Math.PI / (4 * coupling * Math.Sqrt(bNoise));
        return new SurgeFit(law, epsMax, bNoise, double.NaN);
    }

    /// <summary>
    /// The exact best learning rate of one step from x0 with a batch of B examples, the quantity the surge laws
    /// approximate. SGD: the law itself. Adam (sign descent on the first step): with e_k = E[sign g_k] =
    /// erf(g_k sqrt(B) / (Sigma sqrt 2)) the expected loss after the step is L - lr sum_k g_k e_k + lr^2 / 2 (tr H +
    /// sum_{i != j} H_ij e_i e_j), so the best lr is their ratio; unlike the law it levels off instead of falling to 0
    /// once the signs are nearly always right.
    /// </summary>
    public double OneStepOptimalLr(SurgeLaw law, double batchSize)
    {
        if (law == SurgeLaw.Sgd) return Predicted(law).OptimalLr(batchSize);
        var (lambda, g) = (Lambda, StartGradient());
        var e = g.Select(v => Erf(v * Math.Sqrt(batchSize) / (Sigma * Math.Sqrt(2)))).ToArray();
        double eSum = e.Sum(), eSquares = e.Sum(v => v * v);
        return g.Zip(e, (v, s) => v * s).Sum() / (lambda.Sum() + D * Rho + Rho * (eSum * eSum - eSquares));
    }

    /// <summary>erf(x) = 2 / sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)): positive terms, no cancellation.</summary>
    static double Erf(double x)
    {
        if (Math.Abs(x) > 6) return Math.Sign(x);
        double term = x, sum = x;
        for (int n = 1; Math.Abs(term) > 1e-17 * Math.Abs(sum); n++) sum += term *= 2 * x * x / (2 * n + 1);
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }
}
