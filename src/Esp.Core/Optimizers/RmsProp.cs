using TorchSharp;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// RMSProp in the paper's form: v = beta v + (1-beta) g^2; dtheta = -lr g / (sqrt(v) + eps), no bias
/// correction. Beta is torch's alpha. Momentum, Centered and WeightDecay behave as torch.optim.RMSprop.
/// </summary>
public sealed record RmsProp(double Lr = 0.06, double Beta = 0.99, double Eps = 1e-8, double Momentum = 0,
    bool Centered = false, double WeightDecay = 0) : Optimizer(Lr)
{
    public override string Name => "rmsprop";

    public override IEnumerable<string> Errors() => LrErrors()
        .Concat(Require.InRange("RmsProp.Beta", Beta, 0, 1, false, "use e.g. 0.99"))
        .Concat(Require.Positive("RmsProp.Eps", Eps, "use e.g. 1e-8"))
        .Concat(Require.InRange("RmsProp.Momentum", Momentum, 0, 1, false, "use 0 or e.g. 0.9"))
        .Concat(Require.NonNegative("RmsProp.WeightDecay", WeightDecay, "use 0 or a small value"));

    public override IEnumerable<(string, object)> Settings() =>
        [("optimizer", Name), ("lr", Lr), ("beta2", Beta), ("eps", Eps), ("momentum", Momentum),
         ("centered", Centered), ("weight_decay", WeightDecay)];

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => $"{Name}{(Centered ? " centered" : "")}{(Momentum > 0 ? " momentum" : "")}{(WeightDecay != 0 ? " decay" : "")}";

    internal override bool MasksDecay => true;
    internal override bool HasFirstMoment => Momentum > 0;
    internal override bool HasSecondMoment => true;
    internal override bool Checkpointable => true;
    internal override bool HasFusedUpdate => true;

    internal override RunRecord RunFused<T>(IFusedTrainer<T> trainer) => trainer.Train(new RmsPropUpdate<T>(this, trainer.Length));

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new State(runs.Cast<RmsProp>().ToList(), param, decayMask);

    /// <summary>The state of one run or a batch of runs that share <see cref="Kernel"/>.</summary>
    sealed class State : OptimizerState
    {
        readonly PerRun<RmsProp> runs;
        readonly bool decays, centered, momentum;
        readonly Tensor v, gradMean, buffer, beta, oneMinusBeta, eps, weightDecay, momentumFactor;

        public State(IReadOnlyList<RmsProp> list, Tensor param, Tensor? decayMask)
        {
            runs = new PerRun<RmsProp>(list, param, decayMask);
            (decays, centered, momentum) = (list[0].WeightDecay != 0, list[0].Centered, list[0].Momentum > 0);
            v = zeros_like(param).DetachFromDisposeScope();
            gradMean = zeros_like(param).DetachFromDisposeScope();
            buffer = zeros_like(param).DetachFromDisposeScope();
            (beta, oneMinusBeta, eps) = (runs.Constant(r => r.Beta), runs.Constant(r => 1 - r.Beta), runs.Constant(r => r.Eps));
            (weightDecay, momentumFactor) = (runs.Decay(r => r.WeightDecay), runs.Constant(r => r.Momentum));
        }

        public override Tensor? M => momentum ? buffer : null;
        public override Tensor V => v;

        public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
        {
            using var k = new Scalars();
            var one = k[1];
            var g = decays ? grad.addcmul(param, weightDecay, value: one) : grad;
            v.mul_(beta).addcmul_(g.mul(oneMinusBeta), g, value: one);
            Tensor denominator;
            if (centered)
            {
                gradMean.mul_(beta).addcmul_(g, oneMinusBeta, value: one);
                denominator = v.addcmul(gradMean, gradMean, value: k[-1]).sqrt_().add_(eps, alpha: one);
            }
            else denominator = v.sqrt().add_(eps, alpha: one);
            StepCount++;
            var scale = runs.Of(lr.Select(l => -l));
            if (!momentum) return g.div(denominator).mul_(scale);
            buffer.mul_(momentumFactor).addcdiv_(g, denominator, value: one);
            return buffer.mul(scale);
        }

        protected override IEnumerable<IDisposable> Buffers() => [v, gradMean, buffer, runs];

        internal override IReadOnlyList<Tensor> Saved => [v, gradMean, buffer];
    }
}
