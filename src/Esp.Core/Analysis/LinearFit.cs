namespace Esp;

/// <summary>Least-squares line y = Intercept + Slope x and its coefficient of determination (paper figure 15).</summary>
public sealed record LinearFit(double Slope, double Intercept, double RSquared)
{
    public static LinearFit Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
            throw new ArgumentException($"a line needs at least 2 points and as many x as y, got {x.Count} x and {y.Count} y");
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0) throw new ArgumentException("a line needs at least two distinct x values");
        double slope = sxy / sxx;
        return new LinearFit(slope, my - slope * mx, syy == 0 ? 1 : sxy * sxy / (sxx * syy));
    }

    public double At(double x) => Intercept + Slope * x;
}
