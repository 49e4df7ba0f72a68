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

    public override OptimizerState Init(Tensor param) => new State(this, param);

    sealed class State(Sgd d, Tensor param) : OptimizerState
    {
        readonly Tensor buffer = zeros_like(param);

        public override Tensor? M => d.Momentum > 0 ? buffer : null;

        public override Tensor Step(Tensor grad, Tensor param, double lr)
        {
            using var k = new Scalars();
            var g = d.WeightDecay != 0 ? grad.add(param, alpha: k[d.WeightDecay]) : grad;
            if (d.Momentum > 0)
            {
                // torch starts the buffer at the first gradient, undamped.
                if (StepCount == 0) buffer.copy_(g);
                else buffer.mul_(k[d.Momentum]).add_(g, alpha: k[1 - d.Dampening]);
                g = d.Nesterov ? g.add(buffer, alpha: k[d.Momentum]) : buffer;
            }
            StepCount++;
            return g.mul(k[-lr]);
        }

        protected override IEnumerable<Tensor> Buffers() => [buffer];
    }
}
