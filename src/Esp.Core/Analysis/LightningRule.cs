namespace Esp;

/// <summary>
/// Lightning's SpikeDetection (lightning.fabric.utilities.spike, mode "min", finite_only) on one series, as a run that
/// logs each spike and goes on: from step <see cref="Warmup"/> on, a value is a spike when it is non-finite, or when it
/// rose over the last value kept and is at least Rtol times the window's mean away from that mean (and at least Atol
/// where set). Its window is the mean of the last Window values kept (fewer before Window have been kept), and a spike
/// is never kept, so a lasting rise to 3x the level is flagged for as long as it lasts. Rtol 2 is a factor of 3.
/// <para>The mean and the comparisons are in single precision, as torchmetrics' Running(MeanMetric) and a float32 loss
/// compute them (the mean sums the window's slots in slot order). Not reproduced: a NaN in the warm-up, which
/// torchmetrics leaves out of the mean where here it enters (and blinds the window); and PyTorch Lightning's callback
/// restarts the warm-up at every epoch's first batch (its batch_idx counts within the epoch) where here it is the
/// series' first step.</para>
/// </summary>
public sealed record LightningRule(int Window = 10, double? Rtol = 2, double? Atol = null, int Warmup = 1) : SpikeRule(Window)
{
    /// <summary>SpikeDetection's defaults: window 10, warmup 1, rtol 2, no atol.</summary>
    public static LightningRule SpikeDetection => new();

    public override IEnumerable<string> Errors()
    {
        if (Window < 1) yield return $"LightningRule.Window must be >= 1 step, got {Window}: use e.g. 10 (Lightning's)";
        if (Warmup < 0) yield return $"LightningRule.Warmup must be >= 0 steps, got {Warmup}: use e.g. 1 (Lightning's)";
        if (Rtol is double r && (!(r > 0) || double.IsInfinity(r))) yield return $"LightningRule.Rtol must be > 0 or null, got {Require.Show(r)}: use e.g. 2 (Lightning's)";
        if (Atol is double a && (!(a >= 0) || double.IsInfinity(a))) yield return $"LightningRule.Atol must be >= 0 or null, got {Require.Show(a)}: use e.g. null (Lightning's)";
    }

    /// <summary>finite_only: a non-finite value is a spike.</summary>
    public override NonFinite NonFinite { get; init; } = NonFinite.Spike;

    /// <summary>Lightning compares with a mean of any sign.</summary>
    public override bool PositiveMeanOnly { get; init; }

    protected override int FirstStep => Warmup;
    protected override bool FullWindowOnly => false;
    protected override bool Enters(double value, bool spike) => !spike && double.IsFinite(value);

    /// <summary>The single-precision mean of the slots, summed in slot order as Running.compute reduces them.</summary>
    protected override WindowStats Stats(double[] values, int count, double last)
    {
        float sum = 0;
        for (int i = 0; i < count; i++) sum = (float)values[i] + sum;
        return new(count == 0 ? double.NaN : sum / count, double.NaN, double.IsNaN(last) ? 0 : last); // last_val starts at 0
    }

    protected override bool Breaks(double value, WindowStats w)
    {
        float x = (float)value, mean = (float)w.Mean, off = MathF.Abs(x - mean);
        return !(x - (float)w.Last <= 0) // not an improvement on the last value kept
            && (Atol is not double a || off >= MathF.Abs((float)a))
            && (Rtol is not double r || off >= MathF.Abs((float)r * mean));
    }

    protected override double ScoreOf(double value, WindowStats w) => value / w.Mean;

    public override string Label => $"Lightning: {(Rtol is double r ? $"{Require.Show(1 + r)}x" : "")}{(Atol is double a ? $" +{Require.Show(a)}" : "")} the mean of {Window} kept steps";
}
