namespace Esp;

/// <summary>
/// The paper's incremental quadratic problem: N functions f_i(x) = a_i (x[d_i] - c_i)^2 + b_i over x in R^D,
/// a_i ~ U(A), b_i ~ U(B), c_i ~ U(C), d_i uniform in 0..D-1, x starting at X0 in every coordinate.
/// Defaults are the paper's. The coefficients are drawn from DataSeed, or from the experiment's seed when null.
/// </summary>
public sealed record QuadraticProblem(
    int N = 10_000,
    int D = 10_000,
    double ALow = 0.5, double AHigh = 1.0,
    double BLow = 0.5, double BHigh = 1.0,
    double CLow = -1.0, double CHigh = 1.0,
    double X0 = 3.0,
    Precision Precision = Precision.Float64,
    int? DataSeed = null)
{
    public IEnumerable<string> Errors()
    {
        foreach (var e in Require.When(N < 1, $"QuadraticProblem.N must be >= 1, got {N}: use the number of functions, e.g. 10000")) yield return e;
        foreach (var e in Require.When(D < 1, $"QuadraticProblem.D must be >= 1, got {D}: use the dimension of x, e.g. 10000")) yield return e;
        foreach (var e in Range("A", ALow, AHigh)) yield return e;
        foreach (var e in Range("B", BLow, BHigh)) yield return e;
        foreach (var e in Range("C", CLow, CHigh)) yield return e;
        foreach (var e in Require.When(ALow < 0, $"QuadraticProblem.ALow must be >= 0 (each f_i must be convex), got {Require.Show(ALow)}: use e.g. 0.5")) yield return e;
        foreach (var e in Require.When(!double.IsFinite(X0), $"QuadraticProblem.X0 must be finite, got {Require.Show(X0)}: use e.g. 3")) yield return e;
    }

    static IEnumerable<string> Range(string name, double lo, double hi)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
            yield return $"QuadraticProblem.{name}Low..{name}High must be a finite range with low <= high, got [{Require.Show(lo)}, {Require.Show(hi)}]: swap or fix the bounds";
    }
}
