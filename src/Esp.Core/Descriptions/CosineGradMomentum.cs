using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// cos_g_m: the cosine between the step's gradient g_t and the optimizer's first moment m_t after the update, per run.
/// Near 1 when the batches agree with the momentum, falling where a batch pulls against it (Adam's m_1 = (1 - beta1) g_1,
/// so the first step's is 1). Needs an optimizer with a first moment.
/// </summary>
public sealed record CosineGradMomentum : StepProbe
{
    public override IReadOnlyList<string> Columns => ["cos_g_m"];

    public override IReadOnlyList<Tensor?> Compute(StepValues step) => step.M is not { } m ? [null]
        : [step.Grad.mul(m).sum([1]).div(L2Norm.Of(step.Grad, dims: [1]).mul(L2Norm.Of(m, dims: [1])))];

    public override IEnumerable<string> Errors(Experiment x)
    {
        if (!x.Optimizer.HasFirstMoment)
            yield return $"Probes.Extra: CosineGradMomentum needs an optimizer with a first moment m, and {x.Optimizer.Name} as set has none: " +
                "use Adam, AdamW, Spam, Lion, or Sgd or RmsProp with Momentum > 0";
    }
}
