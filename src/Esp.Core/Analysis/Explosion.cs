namespace Esp;

/// <summary>
/// Where a run's loss exploded while staying finite: the first window of w steps (a tenth of an epoch, as the ESP
/// metrics use) whose mean batch loss exceeds <see cref="Factor"/> times the run's start (the mean of the first window).
/// Windows, not single steps, so that one steep batch is a spike, not an explosion. Such a run is marked "exploded":
/// its ESP metrics are still computed, but a sawtooth measured on a loss of 1e7 would dominate any mean or colour scale.
/// </summary>
public sealed record Explosion(int Step, int Window, double Loss, double Start)
{
    public const double Factor = 100;

    /// <summary>The first window past the bound, or null when the run stayed within it.</summary>
    public static Explosion? Find(IReadOnlyList<double> losses, int stepsPerEpoch)
    {
        if (losses.Count == 0) return null;
        int w = Math.Max(1, EspMetrics.Window(Math.Min(stepsPerEpoch, losses.Count)));
        double start = losses.Take(w).Average();
        if (!(start > 0)) return null; // a loss that starts at or below 0 has no ratio to grow by
        for (int from = w; from + w <= losses.Count; from += w)
        {
            double mean = 0;
            for (int t = from; t < from + w; t++) mean += losses[t] / w;
            if (mean > Factor * start) return new Explosion(from, w, mean, start);
        }
        return null;
    }
}
