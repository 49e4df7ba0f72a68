namespace Esp;

/// <summary>How the best learning rate moves with batch size B (McCandlish et al. 2018; Li et al. 2024).</summary>
public enum SurgeLaw
{
    /// <summary>SGD: eps_opt(B) = eps_max / (1 + B_noise / B): rises, then saturates at eps_max.</summary>
    Sgd,

    /// <summary>Adam-style (sign-like) updates: eps_opt(B) = eps_max / (0.5 (sqrt(B_noise / B) + sqrt(B / B_noise))):
    /// rises as 2 eps_max sqrt(B / B_noise), peaks at eps_max at B = B_noise, then falls (the surge).</summary>
    Adam,
}

/// <summary>
/// A surge law with its two constants, fitted to (batch size, best lr) points by <see cref="Of"/> or predicted by a
/// problem (<see cref="NoisyQuadratic.Predicted"/>). RmsLogError: the root mean square of log(lr / law(B)) over the
/// fitted points (NaN for a prediction).
/// </summary>
public sealed record SurgeFit(SurgeLaw Law, double EpsMax, double BNoise, double RmsLogError)
{
    public double OptimalLr(double batchSize) => EpsMax * Shape(Law, BNoise, batchSize);

    /// <summary>The law divided by eps_max.</summary>
    static double Shape(SurgeLaw law, double bNoise, double b) =>
        law == SurgeLaw.Sgd ? 1 / (1 + bNoise / b) : 1 / (0.5 * (Math.Sqrt(bNoise / b) + Math.Sqrt(b / bNoise)));

    /// <summary>
    /// Least squares in log lr: for a given B_noise the best log eps_max is the mean of log(lr / shape(B)), so the
    /// fit is a one-dimensional search over log B_noise (a scan, then golden-section refinement), within 1000x of
    /// the batch sizes given. A B_noise at the edge of that range means the points do not pin it down (an SGD
    /// curve that never saturates, or an Adam curve that never turns).
    /// </summary>
    public static SurgeFit Of(SurgeLaw law, IReadOnlyList<(double BatchSize, double Lr)> points)
    {
        if (points.Select(p => p.BatchSize).Distinct().Count() < 2)
            throw new ArgumentException($"SurgeFit needs points at two or more batch sizes, got {points.Count} point(s) at {points.Select(p => p.BatchSize).Distinct().Count()}: measure the best lr at more batch sizes");
        foreach (var (b, lr) in points)
            if (!(b > 0 && lr > 0 && double.IsFinite(b) && double.IsFinite(lr)))
                throw new ArgumentException($"SurgeFit needs positive finite batch sizes and learning rates, got ({Require.Show(b)}, {Require.Show(lr)}): leave out batch sizes without a best lr (every run diverged)");

        (double LogEpsMax, double Sse) At(double logBNoise)
        {
            var residuals = points.Select(p => Math.Log(p.Lr) - Math.Log(Shape(law, Math.Exp(logBNoise), p.BatchSize))).ToArray();
            double logEpsMax = residuals.Average();
            return (logEpsMax, residuals.Sum(r => (r - logEpsMax) * (r - logEpsMax)));
        }

        double lo = Math.Log(points.Min(p => p.BatchSize)) - Math.Log(1000), hi = Math.Log(points.Max(p => p.BatchSize)) + Math.Log(1000);
        const int scan = 400;
        var grid = Enumerable.Range(0, scan + 1).Select(k => lo + (hi - lo) * k / scan).ToArray();
        int best = Enumerable.Range(0, grid.Length).MinBy(k => At(grid[k]).Sse);
        double a = grid[Math.Max(0, best - 1)], c = grid[Math.Min(scan, best + 1)];
        double phi = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 100; i++)
        {
            double x1 = c - phi * (c - a), x2 = a + phi * (c - a);
            if (At(x1).Sse <= At(x2).Sse) c = x2; else a = x1;
        }
        double logBNoise = (a + c) / 2;
        var (logEps, sse) = At(logBNoise);
        return new SurgeFit(law, Math.Exp(logEps), Math.Exp(logBNoise), Math.Sqrt(sse / points.Count));
    }
}
