using TorchSharp;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Adam as in the paper: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
/// dtheta = -lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps). Bias correction can be switched off;
/// WeightDecay is the L2 form (added to the gradient), as torch.optim.Adam. ClipGradNorm scales the gradient to
/// that norm when it is longer, before the update, as torch.nn.utils.clip_grad_norm_ (g * min(1, c / (||g|| + 1e-6))).
/// </summary>
public sealed record Adam(double Lr = 0.06, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0, bool BiasCorrection = true, double? ClipGradNorm = null) : Optimizer(Lr)
{
    public override string Name => "adam";

    public override IEnumerable<string> Errors() => AdamErrors("Adam", this);

    internal static IEnumerable<string> AdamErrors(string type, Adam a) => a.LrErrors()
        .Concat(Require.InRange($"{type}.Beta1", a.Beta1, 0, 1, false, "use e.g. 0.9"))
        .Concat(Require.InRange($"{type}.Beta2", a.Beta2, 0, 1, false, "use e.g. 0.999"))
        .Concat(Require.Positive($"{type}.Eps", a.Eps, "use e.g. 1e-8"))
        .Concat(Require.NonNegative($"{type}.WeightDecay", a.WeightDecay, "use 0 or a small value such as 1e-5"))
        .Concat(a.ClipGradNorm is double c ? Require.Positive($"{type}.ClipGradNorm", c, "use e.g. 1.0, or null for no clipping") : []);

    public override IEnumerable<(string, object)> Settings() =>
        new (string, object)[] { ("optimizer", Name), ("lr", Lr), ("beta1", Beta1), ("beta2", Beta2), ("eps", Eps),
         ("weight_decay", WeightDecay), ("bias_correction", BiasCorrection) }
        .Concat(ClipGradNorm is double c ? [("clip_grad_norm", (object)c)] : []);

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => $"{Name}{(WeightDecay != 0 ? " decay" : "")}{(ClipGradNorm is null ? "" : " clip")}";

    internal override bool MasksDecay => true;
    internal override bool HasFirstMoment => true;
    internal override bool HasSecondMoment => true;
    internal override bool Checkpointable => true;
    internal override bool HasFusedUpdate => ClipGradNorm is null; // clipping needs the whole gradient's norm first

    internal override RunRecord RunFused<T>(IFusedTrainer<T> trainer) => trainer.Train(new AdamUpdate<T>(this, decoupled: false, trainer.Length));

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new AdamState(runs.Cast<Adam>().ToList(), param, decayMask, decoupledDecay: false);
}

/// <summary>AdamW: Adam with decoupled weight decay (theta -= lr * wd * theta), as torch.optim.AdamW.</summary>
public sealed record AdamW(double Lr = 0.06, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0.01, bool BiasCorrection = true, double? ClipGradNorm = null) : Optimizer(Lr)
{
    public override string Name => "adamw";

    internal Adam AsAdam => new(Lr, Beta1, Beta2, Eps, WeightDecay, BiasCorrection, ClipGradNorm);

    public override IEnumerable<string> Errors() => Adam.AdamErrors("AdamW", AsAdam);

    public override IEnumerable<(string, object)> Settings() =>
        AsAdam.Settings().Select(s => s.Item1 == "optimizer" ? (s.Item1, (object)Name) : s);

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => $"{Name}{(WeightDecay != 0 ? " decay" : "")}{(ClipGradNorm is null ? "" : " clip")}";

    internal override bool MasksDecay => true;
    internal override bool HasFirstMoment => true;
    internal override bool HasSecondMoment => true;
    internal override bool Checkpointable => true;
    internal override bool HasFusedUpdate => ClipGradNorm is null; // clipping needs the whole gradient's norm first

    internal override RunRecord RunFused<T>(IFusedTrainer<T> trainer) => trainer.Train(new AdamUpdate<T>(AsAdam, decoupled: true, trainer.Length));

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new AdamState(runs.Cast<AdamW>().Select(w => w.AsAdam).ToList(), param, decayMask, decoupledDecay: true);
}

/// <summary>
/// Adam's state for one run or a batch of runs ([R, D] parameters, per-run hyperparameters). Every product
/// with a hyperparameter is written g * w (addcmul) so that a batch rounds exactly as a run alone.
/// </summary>
sealed class AdamState : OptimizerState
{
    readonly PerRun<Adam> runs;
    readonly bool decoupledDecay, decays, clips;
    readonly Tensor m, v, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, maxNorm;

    public AdamState(IReadOnlyList<Adam> list, Tensor param, Tensor? decayMask, bool decoupledDecay)
    {
        runs = new PerRun<Adam>(list, param, decayMask);
        (this.decoupledDecay, decays) = (decoupledDecay, list[0].WeightDecay != 0);
        (m, v) = (zeros_like(param).DetachFromDisposeScope(), zeros_like(param).DetachFromDisposeScope());
        (beta1, oneMinusBeta1) = (runs.Constant(a => a.Beta1), runs.Constant(a => 1 - a.Beta1));
        (beta2, oneMinusBeta2) = (runs.Constant(a => a.Beta2), runs.Constant(a => 1 - a.Beta2));
        (eps, weightDecay) = (runs.Constant(a => a.Eps), runs.Decay(a => a.WeightDecay));
        clips = list[0].ClipGradNorm is not null;
        maxNorm = runs.Constant(a => a.ClipGradNorm ?? double.PositiveInfinity);
    }

    public override Tensor M => m;
    public override Tensor V => v;

    public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
    {
        using var k = new Scalars();
        var one = k[1];
        if (clips) grad = GradientClipping.ClipNorm(grad, maxNorm);
        var g = decays && !decoupledDecay ? grad.addcmul(param, weightDecay, value: one) : grad;
        m.mul_(beta1).addcmul_(g, oneMinusBeta1, value: one);
        v.mul_(beta2).addcmul_(g.mul(oneMinusBeta2), g, value: one);
        StepCount++;
        var c1 = runs.Runs.Select(a => a.BiasCorrection ? 1 - Math.Pow(a.Beta1, StepCount) : 1).ToArray();
        var c2 = runs.Of(runs.Runs.Select(a => a.BiasCorrection ? 1 - Math.Pow(a.Beta2, StepCount) : 1));
        var denominator = v.div(c2).sqrt_().add_(eps, alpha: one);
        var delta = m.div(denominator).mul_(runs.Of(lr.Select((l, r) => -l / c1[r])));
        return decays && decoupledDecay
            ? delta.addcmul_(param, runs.Masked(runs.Of(lr.Select((l, r) => -l * runs.Runs[r].WeightDecay))), value: one)
            : delta;
    }

    protected override IEnumerable<IDisposable> Buffers() => [m, v, runs];

    internal override IReadOnlyList<Tensor> Saved => [m, v];
}
