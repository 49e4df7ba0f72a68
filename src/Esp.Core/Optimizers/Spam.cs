using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// SPAM, spike-aware Adam with momentum reset (Huang et al. 2025), with the defaults and the schedule of the authors' code
/// (TianjinYellow/SPAM-Optimizer, galore_torch/SPAM.py). At step t (from 1), with c = t mod DeltaT the steps since the
/// last reset (the start counts as a reset at step 0):
/// <list type="bullet">
/// <item>at steps t = k DeltaT (k >= 1) the moments restart, m = v = 0, before the step (t itself goes on);</item>
/// <item>spike-aware clipping where c >= ClipAfter (from step ClipAfter on, and from ClipAfter steps after each reset):
/// where g^2 > Theta v (v before this step's update), g = sign(g) sqrt(Theta v);</item>
/// <item>Adam's moments, theta' = theta - lr s sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps), then decoupled decay
/// after the step, theta' (1 - lr wd), as the authors do; the warm-up scale is
/// s = 1 - 0.99 (1 + cos(pi c / (WarmupSteps + 1))) / 2 for c &lt; WarmupSteps after a reset (0.01 at the reset step
/// itself), else 1.</item>
/// </list>
/// It reports, per step, the fraction of coordinates it clipped (spam_clipped) and whether it reset (spam_reset).
/// </summary>
public sealed record Spam(double Lr = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-6, double Theta = 5000,
    int DeltaT = 500, int WarmupSteps = 150, int ClipAfter = 20, double WeightDecay = 0) : Optimizer(Lr)
{
    public override string Name => "spam";

    public override IEnumerable<string> Errors() => LrErrors()
        .Concat(Require.InRange("Spam.Beta1", Beta1, 0, 1, false, "use e.g. 0.9"))
        .Concat(Require.InRange("Spam.Beta2", Beta2, 0, 1, false, "use e.g. 0.999"))
        .Concat(Require.Positive("Spam.Eps", Eps, "use e.g. 1e-6 (0 divides 0 by 0 where a gradient is exactly 0)"))
        .Concat(Require.Positive("Spam.Theta", Theta == double.PositiveInfinity ? 1 : Theta, "use e.g. 5000, or double.PositiveInfinity for no clipping"))
        .Concat(Require.When(DeltaT < 1, $"Spam.DeltaT must be >= 1 step, got {DeltaT}: use e.g. 500, or int.MaxValue for no reset"))
        .Concat(Require.When(WarmupSteps < 0, $"Spam.WarmupSteps must be >= 0, got {WarmupSteps}: use e.g. 150"))
        .Concat(Require.When(ClipAfter < 2, $"Spam.ClipAfter must be >= 2 steps, got {ClipAfter}: use e.g. 20 (clipping starts at step ClipAfter, and at step 1 v is 0, so every gradient would be clipped to 0 and v would stay 0 until the first reset)"))
        .Concat(Require.NonNegative("Spam.WeightDecay", WeightDecay, "use 0 or a small value"));

    public override IEnumerable<(string, object)> Settings() =>
        [("optimizer", Name), ("lr", Lr), ("beta1", Beta1), ("beta2", Beta2), ("eps", Eps), ("theta", Theta),
         ("delta_t", DeltaT), ("warmup_steps", WarmupSteps), ("weight_decay", WeightDecay)];

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => Name;

    internal override bool MasksDecay => true;
    internal override bool HasFirstMoment => true;
    internal override bool HasSecondMoment => true;
    internal override bool Checkpointable => true;

    internal override IReadOnlyList<string> ReportedColumns => ["spam_clipped", "spam_reset"];

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new SpamState(runs.Cast<Spam>().ToList(), param, decayMask);

    /// <summary>Whether the moments restart at the start of step <paramref name="t"/>.</summary>
    internal bool Resets(int t) => t % DeltaT == 0;

    /// <summary>Steps since the last reset at step <paramref name="t"/>: 0 at a reset step, t before the first.</summary>
    internal int SinceReset(int t) => t % DeltaT;

    internal bool Clips(int t) => SinceReset(t) >= ClipAfter;

    /// <summary>The update's warm-up scale at step <paramref name="t"/>: cosine from 0.01 at a reset step to 1 over WarmupSteps steps.</summary>
    internal double WarmupScale(int t) => t >= DeltaT && SinceReset(t) < WarmupSteps
        ? 1 - 0.99 * (1 + Math.Cos(Math.PI * SinceReset(t) / (WarmupSteps + 1))) / 2
        : 1;
}

/// <summary>SPAM's state for one run or a batch ([R, D]); the per-step decisions (reset, clip, warm-up) are per run.</summary>
sealed class SpamState : OptimizerState
{
    readonly PerRun<Spam> runs;
    readonly Tensor m, v, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, theta;
    readonly bool decays;
    Tensor? clipped, reset;

    public SpamState(IReadOnlyList<Spam> list, Tensor param, Tensor? decayMask)
    {
        runs = new PerRun<Spam>(list, param, decayMask);
        decays = list.Any(s => s.WeightDecay != 0);
        (m, v) = (zeros_like(param).DetachFromDisposeScope(), zeros_like(param).DetachFromDisposeScope());
        (beta1, oneMinusBeta1) = (runs.Constant(a => a.Beta1), runs.Constant(a => 1 - a.Beta1));
        (beta2, oneMinusBeta2) = (runs.Constant(a => a.Beta2), runs.Constant(a => 1 - a.Beta2));
        (eps, theta) = (runs.Constant(a => a.Eps), runs.Constant(a => a.Theta));
    }

    public override Tensor M => m;
    public override Tensor V => v;

    public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
    {
        using var k = new Scalars();
        var one = k[1];
        int t = StepCount + 1;
        var resets = runs.Runs.Select(s => s.Resets(t) ? 0.0 : 1.0).ToArray();
        if (resets.Contains(0.0))
        {
            var keep = runs.Of(resets);
            m.mul_(keep);
            v.mul_(keep);
        }
        var g = grad;
        var clips = runs.Runs.Select(s => s.Clips(t) ? 1.0 : 0.0).ToArray();
        Tensor spikes = zeros_like(grad, dtype: ScalarType.Bool);
        if (clips.Contains(1.0))
        {
            var bound = v.mul(theta); // theta v_{t-1}
            spikes = g.mul(g).gt(bound).logical_and_(runs.Of(clips).gt(k[0]));
            g = where(spikes, g.sign().mul_(bound.sqrt()), g);
        }
        clipped = spikes.to_type(ScalarType.Float64).mean(grad.dim() == 1 ? [0] : [1]);
        reset = tensor(resets.Select(r => 1 - r).ToArray(), dtype: ScalarType.Float64, device: grad.device);
        m.mul_(beta1).addcmul_(g, oneMinusBeta1, value: one);
        v.mul_(beta2).addcmul_(g.mul(oneMinusBeta2), g, value: one);
        StepCount = t;
        var size = runs.Of(runs.Runs.Select((s, r) => -(lr[r] * (Math.Sqrt(1 - Math.Pow(s.Beta2, t)) / (1 - Math.Pow(s.Beta1, t)))) * s.WarmupScale(t)));
        var delta = m.div(v.sqrt().add_(eps, alpha: one)).mul_(size);
        if (!decays) return delta;
        // decay after the step, as the authors do: theta' = stepped - lr wd stepped, returned as theta' - theta, which
        // the caller's theta + (theta' - theta) gives back exactly wherever theta' and theta are within a factor of 2
        var stepped = param.add(delta, one);
        return stepped.add_(stepped.mul(runs.Masked(runs.Of(lr.Select((l, r) => -l * runs.Runs[r].WeightDecay)))), one).sub_(param);
    }

    internal override IReadOnlyList<Tensor?> Reported => [clipped, reset];

    protected override IEnumerable<IDisposable> Buffers() => [m, v, runs];

    internal override IReadOnlyList<Tensor> Saved => [m, v];
}
