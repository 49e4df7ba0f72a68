namespace Esp;

/// <summary>A step whose loss jumped: its global step, and its height, the loss over the trailing window's mean.</summary>
public sealed record LossSpike(int Step, double Height);

/// <summary>
/// Loss spikes by a relative rule (as Lightning's SpikeDetection and llm-foundry use): step t is a spike when its
/// loss is at least <c>factor</c> times the mean of the <c>window</c> losses before it. The first <c>window</c>
/// steps are never spikes (no history).
/// </summary>
public static class LossSpikes
{
    public static IReadOnlyList<LossSpike> Relative(IReadOnlyList<double> losses, int window = 32, double factor = 2)
    {
        if (window < 1) throw new ArgumentException($"window must be >= 1 step, got {window}: use e.g. 32 (an epoch of batches)");
        if (!(factor > 1)) throw new ArgumentException($"factor must be > 1, got {Require.Show(factor)}: use e.g. 2");
        var spikes = new List<LossSpike>();
        double sum = losses.Take(window).Sum();
        for (int t = window; t < losses.Count; t++)
        {
            double mean = sum / window;
            if (losses[t] >= factor * mean) spikes.Add(new LossSpike(t, losses[t] / mean));
            sum += losses[t] - losses[t - window];
        }
        return spikes;
    }
}
