namespace Esp;

/// <summary>
/// Where a run's loss exploded while staying finite: the first step whose batch loss exceeds <see cref="Factor"/>
/// times the run's start (the mean loss of the first tenth of epoch 0). Such a run is marked "exploded": its ESP
/// metrics are still computed, but a sawtooth measured on a loss of 1e7 would dominate any mean or colour scale.
/// </summary>
public sealed record Explosion(int Step, double Loss, double Start)
{
    public const double Factor = 100;

    /// <summary>The first step past the bound, or null when the run stayed within it.</summary>
    public static Explosion? Find(IReadOnlyList<double> losses, int stepsPerEpoch)
    {
        int w = Math.Max(1, (Math.Min(stepsPerEpoch, losses.Count) + 9) / 10);
        if (losses.Count == 0) return null;
        double start = losses.Take(w).Average();
        if (!(start > 0)) return null; // a loss that starts at or below 0 has no ratio to grow by
        for (int t = 0; t < losses.Count; t++)
            if (losses[t] > Factor * start) return new Explosion(t, losses[t], start);
        return null;
    }
}
