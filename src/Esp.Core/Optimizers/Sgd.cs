using TorchSharp;
using static TorchSharp.torch;

namespace Esp;

/// <summary>SGD with optional (Nesterov) momentum, dampening and L2 weight decay, as torch.optim.SGD.</summary>
public sealed record Sgd(double Lr = 0.06, double Momentum = 0, double Dampening = 0, bool Nesterov = false,
    double WeightDecay = 0) : Optimizer(Lr)
{
    public override string Name => "sgd";

    public override IEnumerable<string> Errors() => LrErrors()
        .Concat(Require.InRange("Sgd.Momentum", Momentum, 0, 1, false, "use 0 for plain SGD or e.g. 0.9"))
        .Concat(Require.InRange("Sgd.Dampening", Dampening, 0, 1, true, "use 0 (torch's default)"))
        .Concat(Require.NonNegative("Sgd.WeightDecay", WeightDecay, "use 0 or a small value such as 1e-4"))
        .Concat(Require.When(Nesterov && (Momentum <= 0 || Dampening != 0),
            $"Sgd.Nesterov needs Momentum > 0 and Dampening = 0, got Momentum = {Require.Show(Momentum)}, Dampening = {Require.Show(Dampening)}: set Momentum, e.g. 0.9"));

    public override IEnumerable<(string, object)> Settings() =>
        [("optimizer", Name), ("lr", Lr), ("momentum", Momentum), ("dampening", Dampening),
         ("nesterov", Nesterov), ("weight_decay", WeightDecay)];

    public override OptimizerState Init(Tensor param) => InitRuns([this], param);

    internal override string Kernel => $"{Name}{(Momentum > 0 ? " momentum" : "")}{(Nesterov ? " nesterov" : "")}{(WeightDecay != 0 ? " decay" : "")}";

    internal override bool MasksDecay => true;
    internal override bool Checkpointable => true;
    internal override bool HasFirstMoment => Momentum > 0;
    internal override bool HasFusedUpdate => true;

    internal override RunRecord RunFused<T>(IFusedTrainer<T> trainer) => trainer.Train(new SgdUpdate<T>(this, trainer.Length));

    internal override OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, Tensor param, Tensor? decayMask = null) =>
        new State(runs.Cast<Sgd>().ToList(), param, decayMask);

    /// <summary>The state of one run or a batch of runs that share <see cref="Kernel"/>.</summary>
    sealed class State : OptimizerState
    {
        readonly PerRun<Sgd> runs;
        readonly bool decays, momentum, nesterov;
        readonly Tensor buffer, weightDecay, momentumFactor, undamped;

        public State(IReadOnlyList<Sgd> list, Tensor param, Tensor? decayMask)
        {
            runs = new PerRun<Sgd>(list, param, decayMask);
            (decays, momentum, nesterov) = (list[0].WeightDecay != 0, list[0].Momentum > 0, list[0].Nesterov);
            buffer = zeros_like(param).DetachFromDisposeScope();
            weightDecay = runs.Decay(s => s.WeightDecay);
            (momentumFactor, undamped) = (runs.Constant(s => s.Momentum), runs.Constant(s => 1 - s.Dampening));
        }

        public override Tensor? M => momentum ? buffer : null;

        public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
        {
            using var k = new Scalars();
            var one = k[1];
            var g = decays ? grad.addcmul(param, weightDecay, value: one) : grad;
            if (momentum)
            {
                // torch starts the buffer at the first gradient, undamped.
                if (StepCount == 0) buffer.copy_(g);
                else buffer.mul_(momentumFactor).addcmul_(g, undamped, value: one);
                g = nesterov ? g.addcmul(buffer, momentumFactor, value: one) : buffer;
            }
            StepCount++;
            return g.mul(runs.Of(lr.Select(l => -l)));
        }

        protected override IEnumerable<IDisposable> Buffers() => [buffer, runs];

        internal override IReadOnlyList<Tensor> Saved => [buffer];
    }
}
