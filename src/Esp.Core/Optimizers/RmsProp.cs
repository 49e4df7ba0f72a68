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

    public override OptimizerState Init(Tensor param) => new State(this, param);

    sealed class State(RmsProp d, Tensor param) : OptimizerState
    {
        readonly Tensor v = zeros_like(param), gradMean = zeros_like(param), buffer = zeros_like(param);

        public override Tensor? M => d.Momentum > 0 ? buffer : null;
        public override Tensor V => v;

        public override Tensor Step(Tensor grad, Tensor param, double lr)
        {
            using var k = new Scalars();
            var g = d.WeightDecay != 0 ? grad.add(param, alpha: k[d.WeightDecay]) : grad;
            v.mul_(k[d.Beta]).addcmul_(g, g, value: k[1 - d.Beta]);
            Tensor denominator;
            if (d.Centered)
            {
                gradMean.mul_(k[d.Beta]).add_(g, alpha: k[1 - d.Beta]);
                denominator = v.addcmul(gradMean, gradMean, value: k[-1]).sqrt_().add_(k[d.Eps]);
            }
            else denominator = v.sqrt().add_(k[d.Eps]);
            StepCount++;
            if (d.Momentum > 0)
            {
                buffer.mul_(k[d.Momentum]).addcdiv_(g, denominator, value: k[1]);
                return buffer.mul(k[-lr]);
            }
            return g.div(denominator).mul_(k[-lr]);
        }

        protected override IEnumerable<Tensor> Buffers() => [v, gradMean, buffer];
    }
}
