using TorchSharp;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Adam as in the paper: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
/// dtheta = -lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps). Bias correction can be switched off;
/// WeightDecay is the L2 form (added to the gradient), as torch.optim.Adam.
/// </summary>
public sealed record Adam(double Lr = 0.06, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0, bool BiasCorrection = true) : Optimizer(Lr)
{
    public override string Name => "adam";

    public override IEnumerable<string> Errors() => AdamErrors("Adam", this);

    internal static IEnumerable<string> AdamErrors(string type, Adam a) => a.LrErrors()
        .Concat(Require.InRange($"{type}.Beta1", a.Beta1, 0, 1, false, "use e.g. 0.9"))
        .Concat(Require.InRange($"{type}.Beta2", a.Beta2, 0, 1, false, "use e.g. 0.999"))
        .Concat(Require.Positive($"{type}.Eps", a.Eps, "use e.g. 1e-8"))
        .Concat(Require.NonNegative($"{type}.WeightDecay", a.WeightDecay, "use 0 or a small value such as 1e-5"));

    public override IEnumerable<(string, object)> Settings() =>
        [("optimizer", Name), ("lr", Lr), ("beta1", Beta1), ("beta2", Beta2), ("eps", Eps),
         ("weight_decay", WeightDecay), ("bias_correction", BiasCorrection)];

    public override OptimizerState Init(Tensor param) => new AdamState(this, param, decoupledDecay: false);
}

/// <summary>AdamW: Adam with decoupled weight decay (theta -= lr * wd * theta), as torch.optim.AdamW.</summary>
public sealed record AdamW(double Lr = 0.06, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0.01, bool BiasCorrection = true) : Optimizer(Lr)
{
    public override string Name => "adamw";

    Adam AsAdam => new(Lr, Beta1, Beta2, Eps, WeightDecay, BiasCorrection);

    public override IEnumerable<string> Errors() => Adam.AdamErrors("AdamW", AsAdam);

    public override IEnumerable<(string, object)> Settings() =>
        AsAdam.Settings().Select(s => s.Item1 == "optimizer" ? (s.Item1, (object)Name) : s);

    public override OptimizerState Init(Tensor param) => new AdamState(AsAdam, param, decoupledDecay: true);
}

sealed class AdamState(Adam d, Tensor param, bool decoupledDecay) : OptimizerState
{
    readonly Tensor m = zeros_like(param), v = zeros_like(param);

    public override Tensor M => m;
    public override Tensor V => v;

    public override Tensor Step(Tensor grad, Tensor param, double lr)
    {
        using var k = new Scalars();
        var g = !decoupledDecay && d.WeightDecay != 0 ? grad.add(param, alpha: k[d.WeightDecay]) : grad;
        m.mul_(k[d.Beta1]).add_(g, alpha: k[1 - d.Beta1]);
        v.mul_(k[d.Beta2]).addcmul_(g, g, value: k[1 - d.Beta2]);
        StepCount++;
        double c1 = d.BiasCorrection ? 1 - Math.Pow(d.Beta1, StepCount) : 1;
        double c2 = d.BiasCorrection ? 1 - Math.Pow(d.Beta2, StepCount) : 1;
        var denominator = v.div(k[c2]).sqrt_().add_(k[d.Eps]);
        var delta = m.div(denominator).mul_(k[-lr / c1]);
        return decoupledDecay && d.WeightDecay != 0 ? delta.add_(param, alpha: k[-lr * d.WeightDecay]) : delta;
    }

    protected override IEnumerable<Tensor> Buffers() => [m, v];
}
