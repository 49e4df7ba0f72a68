using static TorchSharp.torch;

namespace Esp;

/// <summary>What a step probe sees of one step of a batch of R runs on the tensor path, after the update: the gradient,
/// the optimizer's moments (null where it has none), the change it applied and the parameters, each [R, D].</summary>
public sealed record StepValues(Tensor Grad, Tensor? M, Tensor? V, Tensor Delta, Tensor Theta);

/// <summary>
/// A per-step probe as a value: the columns it adds to steps.csv and how it computes them, each run's value [R] per
/// column, from a step (<see cref="StepValues"/>). Add one to <see cref="Probes.Extra"/>; a new probe is one record like
/// <see cref="CosineGradMomentum"/>. Step probes run on the tensor path (a run that has one is not fused).
/// </summary>
public abstract record StepProbe
{
    /// <summary>The columns, in order: names for steps.csv.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Each column's value for every run of the step, [R] each (null: NaN this step).</summary>
    public abstract IReadOnlyList<Tensor?> Compute(StepValues step);

    /// <summary>What the probe needs of a run, in the user's terms (e.g. an optimizer with a first moment).</summary>
    public virtual IEnumerable<string> Errors(Experiment x) => [];
}
