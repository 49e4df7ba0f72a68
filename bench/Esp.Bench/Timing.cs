using System.Diagnostics;

/// <summary>Medians of repeated timings.</summary>
static class Timing
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Runs <paramref name="work"/> <paramref name="repetitions"/> times and returns the median seconds.</summary>
    public static double MedianSeconds(int repetitions, Action work) => Median(Enumerable.Range(0, repetitions).Select(_ =>
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalSeconds;
    }));
}
