using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as the authors' PyTorch code steps it:
/// theta = theta (1 - lr wd), then theta -= lr sign(beta1 m + (1 - beta1) g), then m = beta2 m + (1 - beta2) g (sign(0) = 0).
/// Every coordinate moves by lr, so the paper takes a learning rate 3-10x smaller than AdamW's and a weight decay
/// 3-10x larger. Its state is m alone: no second moment.
/// </summary>
public sealed record Lion(double Lr = 1e-4, double Beta1 = 0.9, double Beta2 = 0.99, double WeightDecay = 0) : Optimizer(Lr)
{
    public override string Name => "lion";

    public override IEnumerable<string> Errors() => LrErrors()
        .Concat(Require.InRange("Lion.Beta1", Beta1, 0, 1, false, "use e.g. 0.9"))
        .Concat(Require.InRange("Lion.Beta2", Beta2, 0, 1, false, "use e.g. 0.99"))
        .Concat(Require.NonNegative("Lion.WeightDecay", WeightDecay, "use 0 or e.g. 0.1 (3-10x AdamW's)"));

    public override IEnumerable<(string, object)> Settings() =>
        [("optimizer", Name), ("lr", Lr), ("beta1", Beta1), ("beta2", Beta2), ("weight_decay", WeightDecay)];

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => $"{Name}{(WeightDecay != 0 ? " decay" : "")}";
    internal override bool MasksDecay => true;
    internal override bool Checkpointable => true;
    internal override bool HasFirstMoment => true;

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new State(runs.Cast<Lion>().ToList(), param, decayMask);

    /// <summary>The state of one run or a batch of runs that share <see cref="Kernel"/>.</summary>
    sealed class State : OptimizerState
    {
        readonly PerRun<Lion> runs;
        readonly bool decays;
        readonly Tensor m, beta1, oneMinusBeta1, beta2, oneMinusBeta2, weightDecay;

        public State(IReadOnlyList<Lion> list, Tensor param, Tensor? decayMask)
        {
            runs = new PerRun<Lion>(list, param, decayMask);
            decays = list[0].WeightDecay != 0;
            m = zeros_like(param).DetachFromDisposeScope();
            (beta1, oneMinusBeta1) = (runs.Constant(l => l.Beta1), runs.Constant(l => 1 - l.Beta1));
            (beta2, oneMinusBeta2) = (runs.Constant(l => l.Beta2), runs.Constant(l => 1 - l.Beta2));
            weightDecay = runs.Decay(l => l.WeightDecay);
        }

        public override Tensor? M => m;

        public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
        {
            using var k = new Scalars(); // add's alpha held: an implicit Scalar may be freed by the GC mid-call (sub has none)
            var one = k[1];
            var rate = runs.Of(lr);
            // as the authors' code: decay first, then the sign of the interpolation, then the momentum
            var decayed = decays ? param.mul(rate.mul(weightDecay).neg_().add_(one)) : param;
            var stepped = decayed.sub(m.mul(beta1).add_(grad.mul(oneMinusBeta1), one).sign_().mul_(rate));
            m.mul_(beta2).add_(grad.mul(oneMinusBeta2), one);
            StepCount++;
            return stepped.sub_(param);
        }

        protected override IEnumerable<IDisposable> Buffers() => [m, runs];

        internal override IReadOnlyList<Tensor> Saved => [m];
    }
}
