namespace Esp;

/// <summary>
/// A spike found in a per-step series (a run's batch loss, gradient norm, ...): its global step, its height (the value
/// over the window's mean), its score against the rule's threshold (z for <see cref="ZScoreRule"/>, the ratio for
/// <see cref="RelativeRule"/> and <see cref="LightningRule"/>), and the steps until the series was back within the band
/// it broke out of (null when it never came back).
/// </summary>
public sealed record Spike(int Step, double Height, double Score, int? Recovery);

/// <summary>What a rule sees of its window before a step: the mean and standard deviation the rule uses (NaN where it
/// uses none) and the last value that entered the window.</summary>
public readonly record struct WindowStats(double Mean, double Sd, double Last);

/// <summary>
/// How spikes are detected: pure functions of a series, looking at a window of up to <see cref="Window"/> values before
/// each step. By default the window is the Window values just before the step and the first Window steps are never
/// spikes; a rule can instead start after a warm-up on a partial window and keep values out of it
/// (<see cref="LightningRule"/>). The window's statistics are computed afresh from its values at every step, so a
/// non-finite value stops mattering once it has left the window and a constant window has its value as its mean.
/// </summary>
public abstract record SpikeRule(int Window)
{
    /// <summary>What a NaN or infinite value is: never a spike (Esp), compared like any value so that +inf breaks a
    /// finite band and NaN breaks none (OLMo-core, llm-foundry), or always a spike (Lightning).</summary>
    public virtual NonFinite NonFinite { get; init; } = NonFinite.Ignored;

    /// <summary>Only a window with a positive mean can flag (Esp: the height and ratio are over the mean).</summary>
    public virtual bool PositiveMeanOnly { get; init; } = true;

    /// <summary>What <see cref="Score(int, int)"/> reports.</summary>
    public ScoreBasis ScoreBasis { get; init; } = ScoreBasis.PercentAfterWindow;

    public abstract IEnumerable<string> Errors();

    /// <summary>Whether <paramref name="value"/> breaks out of the band the window's statistics set.</summary>
    protected abstract bool Breaks(double value, WindowStats window);

    protected abstract double ScoreOf(double value, WindowStats window);

    /// <summary>The statistics of the window's values (<paramref name="values"/>[..count], in slot order: the k-th value
    /// that entered is in slot k mod Window); <paramref name="last"/> is the latest of them.</summary>
    protected virtual WindowStats Stats(double[] values, int count, double last) => new(Mean(values, count), double.NaN, last);

    /// <summary>The first step checked.</summary>
    protected virtual int FirstStep => Window;

    /// <summary>Whether a step is checked only once the window holds Window values.</summary>
    protected virtual bool FullWindowOnly => true;

    /// <summary>Whether the value at a checked step enters the window (every value does, by default).</summary>
    protected virtual bool Enters(double value, bool spike) => true;

    public IReadOnlyList<Spike> Detect(IReadOnlyList<double> series)
    {
        if (Errors().FirstOrDefault() is string error) throw new InvalidExperimentException([error]);
        var spikes = new List<Spike>();
        var values = new double[Window];
        int entered = 0;
        double last = double.NaN;
        for (int t = 0; t < series.Count; t++)
        {
            double x = series[t];
            bool spike = false;
            int count = Math.Min(entered, Window);
            if (t >= FirstStep && (count == Window || !FullWindowOnly))
            {
                var w = Stats(values, count, last);
                spike = IsSpike(x, w);
                if (spike)
                {
                    int back = Enumerable.Range(t + 1, series.Count - t - 1).FirstOrDefault(k => !Breaks(series[k], w), -1);
                    spikes.Add(new Spike(t, x / w.Mean, ScoreOf(x, w), back < 0 ? null : back - t));
                }
            }
            if (t < FirstStep || Enters(x, spike)) (values[entered++ % Window], last) = (x, x);
        }
        return spikes;
    }

    bool IsSpike(double value, WindowStats w) => NonFinite switch
    {
        NonFinite.Ignored => double.IsFinite(value) && (!PositiveMeanOnly || w.Mean > 0) && Breaks(value, w),
        NonFinite.Spike => !double.IsFinite(value) || (!PositiveMeanOnly || w.Mean > 0) && Breaks(value, w),
        _ => (!PositiveMeanOnly || w.Mean > 0) && Breaks(value, w),
    };

    /// <summary>The mean of values[..count] as its first value plus the mean of the others' offsets from it: exact for
    /// a constant window (a sum of n copies of c over n need not give c back), and NaN for an empty one. An infinite
    /// first value would turn every offset infinite, so then it is the plain sum over count (-inf with finite others).</summary>
    protected static double Mean(double[] values, int count)
    {
        if (count == 0) return double.NaN;
        double origin = double.IsFinite(values[0]) ? values[0] : 0, offsets = 0;
        for (int i = origin == 0 ? 0 : 1; i < count; i++) offsets += values[i] - origin;
        return origin + offsets / count;
    }

    /// <summary>The spike score of a series: <see cref="Score(int, int)"/> of its spikes.</summary>
    public double Score(IReadOnlyList<double> series) => Score(Detect(series).Count, series.Count);

    /// <summary>The spike score of <paramref name="spikes"/> found in a series of <paramref name="steps"/> steps: by
    /// default (Esp's) the percentage of the steps after the first window; OLMo-core's "SpikeScore (total)" is the
    /// fraction of all steps, reported from the Window-th step on.</summary>
    public double Score(int spikes, int steps) => ScoreBasis switch
    {
        ScoreBasis.FractionOfAllSteps => steps < Window ? double.NaN : (double)spikes / steps,
        _ => steps <= Window ? double.NaN : 100.0 * spikes / (steps - Window),
    };

    public abstract string Label { get; }
}
