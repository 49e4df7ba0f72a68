namespace Esp;

/// <summary>
/// Esp's relative rule: a value at least Factor times the mean of the Window values before it. Every value enters the
/// window (a spike too); non-finite values are never spikes (they still enter the window, which is blind until they have
/// left it) and a window must have a positive mean.
/// <para>It is llm-foundry's per-step outlier test (KillLossSpike: a loss at least outlier_multiplier times the mean of
/// the window before it), which <see cref="LlmFoundry"/> reproduces with its window and +inf as a spike. It is not
/// Lightning's SpikeDetection, which keeps spikes and non-finite values out of its window, starts after one step on a
/// partial window of up to 10, flags only a rise over the last value it kept, and whose rtol 2 means a factor of 3:
/// <see cref="LightningRule"/> reproduces that.</para>
/// </summary>
public sealed record RelativeRule(int Window = 32, double Factor = 2) : SpikeRule(Window)
{
    /// <summary>llm-foundry's KillLossSpike's per-step outlier test (outlier_multiplier 2; the steps where it says
    /// "Potential loss spike detected", before its patience of 5 in a row makes one a loss spike): a loss at least twice
    /// the mean of the window before it, every loss entering the window, non-finite losses compared as they are (so +inf
    /// is a spike, and a window holding -inf flags every finite loss). Its
    /// window is 100 steps, or 5% of the planned batches (<paramref name="plannedSteps"/>, rounded half to even) where
    /// that is more.</summary>
    public static RelativeRule LlmFoundry(int plannedSteps = 0) =>
        new(Window: Math.Max(100, (int)Math.Round(plannedSteps * 0.05, MidpointRounding.ToEven)), Factor: 2)
        {
            NonFinite = NonFinite.Compared, PositiveMeanOnly = false,
        };

    public override IEnumerable<string> Errors()
    {
        if (Window < 1) yield return $"RelativeRule.Window must be >= 1 step, got {Window}: use e.g. 32 (an epoch of batches)";
        if (!(Factor > 1) || double.IsInfinity(Factor)) yield return $"RelativeRule.Factor must be > 1, got {Require.Show(Factor)}: use e.g. 2";
    }

    protected override bool Breaks(double value, WindowStats w) => value >= Factor * w.Mean;
    protected override double ScoreOf(double value, WindowStats w) => value / w.Mean;
    public override string Label => $">= {Require.Show(Factor)}x the mean of {Window} steps";
}
