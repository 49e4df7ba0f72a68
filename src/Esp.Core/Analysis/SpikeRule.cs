namespace Esp;

/// <summary>
/// A spike found in a per-step series (a run's batch loss, gradient norm, ...): its global step, its height (the value
/// over the trailing window's mean), its score against the rule's threshold (z for <see cref="ZScoreRule"/>, the
/// ratio for <see cref="RelativeRule"/>), and the steps until the series was back within the band it broke out of
/// (null when it never came back).
/// </summary>
public sealed record Spike(int Step, double Height, double Score, int? Recovery);

/// <summary>
/// How spikes are detected: pure functions of a series, looking at the <see cref="Window"/> values before each step
/// (the first Window steps are never spikes). Both rules look for upward jumps and do not change when the series is
/// scaled by a positive constant.
/// </summary>
public abstract record SpikeRule(int Window)
{
    public abstract IEnumerable<string> Errors();

    /// <summary>Whether <paramref name="value"/> breaks out of the band set by the window's mean and sample sd.</summary>
    protected abstract bool Breaks(double value, double mean, double sd);

    protected abstract double ScoreOf(double value, double mean, double sd);

    public IReadOnlyList<Spike> Detect(IReadOnlyList<double> series)
    {
        if (Errors().FirstOrDefault() is string error) throw new InvalidExperimentException([error]);
        var spikes = new List<Spike>();
        double mean = 0, m2 = 0; // the window's running mean and sum of squared deviations (Welford, sliding)
        for (int t = 0; t < series.Count; t++)
        {
            if (t >= Window)
            {
                double sd = Math.Sqrt(Math.Max(0, m2 / (Window - 1)));
                if (double.IsFinite(series[t]) && mean > 0 && Breaks(series[t], mean, sd))
                {
                    var (m, s) = (mean, sd);
                    int back = Enumerable.Range(t + 1, series.Count - t - 1).FirstOrDefault(k => !Breaks(series[k], m, s), -1);
                    spikes.Add(new Spike(t, series[t] / mean, ScoreOf(series[t], mean, sd), back < 0 ? null : back - t));
                }
                double old = series[t - Window], before = mean; // the oldest value leaves the window
                if (Window == 1) (mean, m2) = (0, 0);
                else
                {
                    mean -= (old - mean) / (Window - 1);
                    m2 -= (old - before) * (old - mean);
                }
            }
            int n = Math.Min(t, Window - 1) + 1;
            double delta = series[t] - mean;
            mean += delta / n;
            m2 += delta * (series[t] - mean);
            if (t >= Window - 1 && (t % Window == 0 || m2 < 0)) (mean, m2) = Exact(series, t + 1 - Window, Window);
        }
        return spikes;
    }

    /// <summary>The mean and sum of squared deviations of series[from..from+count), computed afresh: the sliding update
    /// keeps the rounding error a huge value (an exploded step) leaves, so it is reset once a window.</summary>
    static (double Mean, double M2) Exact(IReadOnlyList<double> series, int from, int count)
    {
        double mean = 0, m2 = 0;
        for (int i = from; i < from + count; i++) mean += series[i] / count;
        for (int i = from; i < from + count; i++) m2 += (series[i] - mean) * (series[i] - mean);
        return (mean, m2);
    }

    /// <summary>The spike score: the percentage of steps (after the first window) that are spikes, as OLMo reports it.</summary>
    public double Score(IReadOnlyList<double> series) => Score(Detect(series).Count, series.Count);

    /// <summary>The spike score of <paramref name="spikes"/> found in a series of <paramref name="steps"/> steps.</summary>
    public double Score(int spikes, int steps) => steps <= Window ? double.NaN : 100.0 * spikes / (steps - Window);

    public abstract string Label { get; }
}

/// <summary>OLMo's rule: a value more than K sample standard deviations above the mean of the Window values before it.
/// The standard deviation is floored at 1e-12 of the mean: below that a flat series differs only by rounding.</summary>
public sealed record ZScoreRule(int Window = 100, double K = 7) : SpikeRule(Window)
{
    public override IEnumerable<string> Errors()
    {
        if (Window < 2) yield return $"ZScoreRule.Window must be >= 2 steps (a standard deviation needs two), got {Window}: use e.g. 100";
        if (!(K > 0) || double.IsInfinity(K)) yield return $"ZScoreRule.K must be a positive number of standard deviations, got {Require.Show(K)}: use e.g. 7 (OLMo) or 4";
    }

    protected override bool Breaks(double value, double mean, double sd) => value > mean + K * Floor(mean, sd);
    protected override double ScoreOf(double value, double mean, double sd) => (value - mean) / Floor(mean, sd);
    static double Floor(double mean, double sd) => Math.Max(sd, 1e-12 * Math.Abs(mean));
    public override string Label => $"z > {Require.Show(K)} over {Window} steps";
}

/// <summary>The relative rule (Lightning's SpikeDetection, llm-foundry): a value at least Factor times the mean of the Window values before it.</summary>
public sealed record RelativeRule(int Window = 32, double Factor = 2) : SpikeRule(Window)
{
    public override IEnumerable<string> Errors()
    {
        if (Window < 1) yield return $"RelativeRule.Window must be >= 1 step, got {Window}: use e.g. 32 (an epoch of batches)";
        if (!(Factor > 1) || double.IsInfinity(Factor)) yield return $"RelativeRule.Factor must be > 1, got {Require.Show(Factor)}: use e.g. 2";
    }

    protected override bool Breaks(double value, double mean, double sd) => value >= Factor * mean;
    protected override double ScoreOf(double value, double mean, double sd) => value / mean;
    public override string Label => $">= {Require.Show(Factor)}x the mean of {Window} steps";
}
