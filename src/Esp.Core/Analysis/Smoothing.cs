namespace Esp;

/// <summary>The curve transforms the paper plots with.</summary>
public static class Smoothing
{
    /// <summary>Means of consecutive windows of <paramref name="every"/> values (the paper's plot_every);
    /// a last partial window is averaged over what it has. Steps without a value (NaN, e.g. BERT's validation
    /// columns between evaluations) are left out; a window with no value is NaN.</summary>
    public static double[] PlotEvery(IReadOnlyList<double> values, int every)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "plot_every must be >= 1, e.g. 10");
        return Enumerable.Range(0, (values.Count + every - 1) / every)
            .Select(k => values.Skip(k * every).Take(every).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average()).ToArray();
    }

    /// <summary>Exponential smoothing as in the paper's BERT plots: s_0 = x_0, s_t = w s_(t-1) + (1-w) x_t.</summary>
    public static double[] Exponential(IReadOnlyList<double> values, double weight)
    {
        if (!(weight >= 0 && weight < 1)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "smoothing weight must be in [0, 1), e.g. 0.75");
        var smoothed = new double[values.Count];
        for (int t = 0; t < values.Count; t++)
            smoothed[t] = t == 0 ? values[0] : weight * smoothed[t - 1] + (1 - weight) * values[t];
        return smoothed;
    }
}
