namespace Esp;

/// <summary>
/// Esp's z-score rule: a value more than K standard deviations above the mean of the Window values before it. By default
/// the sd is the sample sd, floored at <see cref="RelativeFloor"/> (1e-12) of the mean's size, since below that a flat
/// series differs only by rounding, so a jump out of a flat stretch is a spike; non-finite values are never spikes (they
/// still enter the window, which is blind until they have left it) and a window must have a positive mean.
/// <para>How it differs from OLMo-core's StabilityMonitorCallback, which <see cref="OlmoCore"/> reproduces: there the
/// window is 128 steps and K 6, the sd is the population sd, a window whose sd is below 1e-10 flags nothing (so no jump
/// out of a flat stretch is a spike), +inf is a spike when the window is finite, the window's mean may be of any sign,
/// and its spike score is a fraction of all steps (<see cref="ScoreBasis.FractionOfAllSteps"/>).</para>
/// </summary>
public sealed record ZScoreRule(int Window = 100, double K = 7) : SpikeRule(Window)
{
    /// <summary>The population sd (over Window) instead of the sample sd (over Window - 1).</summary>
    public bool PopulationSd { get; init; }

    /// <summary>The sd is raised to at least this fraction of the mean's size (0: not floored).</summary>
    public double RelativeFloor { get; init; } = 1e-12;

    /// <summary>A window whose sd is below this flags nothing (0: every window can flag).</summary>
    public double MinSd { get; init; }

    /// <summary>OLMo-core's StabilityMonitorCallback (its defaults: window_size 128, threshold_std 6) on one series: a
    /// value above mean + 6 population sd of the 128 values before it, none when that sd is below 1e-10, non-finite
    /// values compared as they are; the spike score is its "spike/SpikeScore (total)".</summary>
    public static ZScoreRule OlmoCore => new(Window: 128, K: 6)
    {
        PopulationSd = true, RelativeFloor = 0, MinSd = 1e-10,
        NonFinite = NonFinite.Compared, PositiveMeanOnly = false, ScoreBasis = ScoreBasis.FractionOfAllSteps,
    };

    public override IEnumerable<string> Errors()
    {
        if (Window < 2) yield return $"ZScoreRule.Window must be >= 2 steps (a standard deviation needs two), got {Window}: use e.g. 100";
        if (!(K > 0) || double.IsInfinity(K)) yield return $"ZScoreRule.K must be a positive number of standard deviations, got {Require.Show(K)}: use e.g. 7 or 4 (OLMo-core's is 6)";
        if (!(RelativeFloor >= 0) || double.IsInfinity(RelativeFloor)) yield return $"ZScoreRule.RelativeFloor must be a fraction >= 0, got {Require.Show(RelativeFloor)}: use e.g. 1e-12";
        if (!(MinSd >= 0) || double.IsInfinity(MinSd)) yield return $"ZScoreRule.MinSd must be >= 0, got {Require.Show(MinSd)}: use e.g. 0 or 1e-10 (OLMo-core)";
    }

    /// <summary>The mean and the (floored) sd, both from the window's values.</summary>
    protected override WindowStats Stats(double[] values, int count, double last)
    {
        double mean = Mean(values, count), squares = 0;
        for (int i = 0; i < count; i++) squares += (values[i] - mean) * (values[i] - mean);
        double sd = Math.Sqrt(squares / (PopulationSd ? count : count - 1));
        return new(mean, Math.Max(sd, RelativeFloor * Math.Abs(mean)), last);
    }

    protected override bool Breaks(double value, WindowStats w) => !(w.Sd < MinSd) && value > w.Mean + K * w.Sd;
    protected override double ScoreOf(double value, WindowStats w) => (value - w.Mean) / w.Sd;

    public override string Label => $"z > {Require.Show(K)} over {Window} steps" + (PopulationSd ? " (population sd)" : "");
}
