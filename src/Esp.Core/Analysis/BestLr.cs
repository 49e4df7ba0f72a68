namespace Esp;

/// <summary>
/// The best learning rate of a grid: the lr with the lowest loss, refined by the vertex of the parabola through it and
/// its two neighbours (the grid's spacing would otherwise quantise every surge curve). The parabola is in lr itself:
/// the expected loss after one step on a quadratic is exactly quadratic in lr, so there the refinement is exact
/// (in log lr it would sit about 5 % low on a grid spaced by sqrt 2). A non-finite loss (a run
/// that diverged) counts as worse than any finite one. AtGridEdge: the lowest loss is at the smallest or largest
/// lr, so the true optimum may lie outside the grid and Lr is that edge, unrefined.
/// </summary>
public sealed record BestLr(double Lr, double Loss, bool AtGridEdge)
{
    public static BestLr Of(IEnumerable<(double Lr, double Loss)> grid)
    {
        var points = grid.OrderBy(p => p.Lr).Select(p => (X: p.Lr, Y: double.IsFinite(p.Loss) ? p.Loss : double.PositiveInfinity)).ToArray();
        if (points.Length == 0 || points.Any(p => !(p.X > 0 && double.IsFinite(p.X))))
            throw new ArgumentException("BestLr needs a non-empty grid of positive, finite learning rates");
        if (points.Select(p => p.X).Distinct().Count() != points.Length)
            throw new ArgumentException("BestLr needs one loss per learning rate: average the seeds of each lr first");
        int k = Enumerable.Range(0, points.Length).MinBy(i => points[i].Y);
        if (double.IsPositiveInfinity(points[k].Y))
            throw new ArgumentException("BestLr: every run of the grid diverged: lower the learning rates");
        if (k == 0 || k == points.Length - 1) return new BestLr(points[k].X, points[k].Y, AtGridEdge: true);
        var (l, m, r) = (points[k - 1], points[k], points[k + 1]);
        if (!double.IsFinite(l.Y) || !double.IsFinite(r.Y)) return new BestLr(m.X, m.Y, AtGridEdge: false);
        // the vertex of the parabola through three points; it lies between the neighbours since m is the lowest
        double num = (m.X - l.X) * (m.X - l.X) * (m.Y - r.Y) - (m.X - r.X) * (m.X - r.X) * (m.Y - l.Y);
        double den = (m.X - l.X) * (m.Y - r.Y) - (m.X - r.X) * (m.Y - l.Y);
        double x = den == 0 ? m.X : m.X - 0.5 * num / den;
        return new BestLr(Math.Clamp(x, l.X, r.X), m.Y, AtGridEdge: false);
    }
}
