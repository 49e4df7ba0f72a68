namespace Esp;

/// <summary>
/// The paper's incremental quadratic problem: N functions f_i(x) = a_i (x[d_i] - c_i)^2 + b_i over x in R^D,
/// a_i ~ U(A), b_i ~ U(B), c_i ~ U(C), d_i uniform in 0..D-1, x starting at X0 in every coordinate.
/// Defaults are the paper's. The coefficients are drawn from DataSeed, or from the experiment's seed when null.
/// Rare > 0 adds the spike toy: functions 0..Rare-1 get curvature RareA and a coordinate of their own (0..Rare-1,
/// which no other function touches), so each such coordinate sees a gradient once an epoch and none in between.
/// </summary>
public sealed record QuadraticProblem(
    int N = 10_000,
    int D = 10_000,
    double ALow = 0.5, double AHigh = 1.0,
    double BLow = 0.5, double BHigh = 1.0,
    double CLow = -1.0, double CHigh = 1.0,
    double X0 = 3.0,
    Precision Precision = Precision.Float64,
    int? DataSeed = null,
    int Rare = 0,
    double RareA = 100) : Problem
{
    internal override int Examples => N;
    internal override int Parameters => D;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        new (string, object)[] { ("n", N), ("d", D), ("precision", Precision == Precision.Float64 ? "float64" : "float32") }
            .Concat(Rare > 0 ? [("rare", (object)Rare), ("rare_a", RareA)] : []);

    internal override object BatchKey => (N, D, Precision);

    internal override bool HasFusedPath => true;

    /// <summary>The coefficients on the host (as drawn) and on the device twice (the epoch's gathered copy), the
    /// epoch's visiting order (host and int64 device copy), the batch losses' float64 copies and about a dozen
    /// D-sized tensors (x, moments, gradient, the step's temporaries).</summary>
    internal override long TensorBytesPerRun(Experiment x)
    {
        long size = Precision == Precision.Float64 ? 8 : 4;
        return N * (28 + 2 * (3 * size + 8) + 8 + 8 + 16L) + 12L * D * size;
    }

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, TorchSharp.torch.Device device, TorchSharp.torch.ScalarType type) =>
        new QuadraticTensors(runs, device, type);

    public override IEnumerable<string> Errors()
    {
        foreach (var e in Require.When(N < 1, $"QuadraticProblem.N must be >= 1, got {N}: use the number of functions, e.g. 10000")) yield return e;
        foreach (var e in Require.When(D < 1, $"QuadraticProblem.D must be >= 1, got {D}: use the dimension of x, e.g. 10000")) yield return e;
        foreach (var e in Range("A", ALow, AHigh)) yield return e;
        foreach (var e in Range("B", BLow, BHigh)) yield return e;
        foreach (var e in Range("C", CLow, CHigh)) yield return e;
        foreach (var e in Require.When(ALow < 0, $"QuadraticProblem.ALow must be >= 0 (each f_i must be convex), got {Require.Show(ALow)}: use e.g. 0.5")) yield return e;
        foreach (var e in Require.When(Rare < 0 || Rare > 0 && (Rare >= D || Rare > N),
            $"QuadraticProblem.Rare must be in [0, min(N, D - 1)], got {Rare}: use e.g. 10 rare functions, or 0 for the paper's problem")) yield return e;
        foreach (var e in Require.When(Rare > 0 && !(RareA > 0 && double.IsFinite(RareA)),
            $"QuadraticProblem.RareA must be a positive finite curvature, got {Require.Show(RareA)}: use e.g. 100")) yield return e;
        foreach (var e in Require.When(!double.IsFinite(X0), $"QuadraticProblem.X0 must be finite, got {Require.Show(X0)}: use e.g. 3")) yield return e;
    }

    static IEnumerable<string> Range(string name, double lo, double hi)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
            yield return $"QuadraticProblem.{name}Low..{name}High must be a finite range with low <= high, got [{Require.Show(lo)}, {Require.Show(hi)}]: swap or fix the bounds";
    }
}
