using TorchSharp;

namespace Esp;

/// <summary>
/// An optimizer description, in the style of optax's GradientTransformation: <see cref="Init"/> makes the
/// per-run state (m, v, step count) and the state's <see cref="OptimizerState.Step"/> maps a gradient to the
/// parameter change. Esp owns every update so that m and v stay observable to probes.
/// </summary>
public abstract record Optimizer(double Lr)
{
    /// <summary>Short lower-case name used in result columns ("adam", "sgd", ...).</summary>
    public abstract string Name { get; }

    /// <summary>Validation errors in the user's terms; empty when the description is valid.</summary>
    public abstract IEnumerable<string> Errors();

    /// <summary>Identifying settings, written as columns of steps.csv and runs.csv.</summary>
    public abstract IEnumerable<(string Column, object Value)> Settings();

    /// <summary>Creates the run's state for a parameter tensor (zeros shaped like it).</summary>
    public abstract OptimizerState Init(torch.Tensor param);

    protected IEnumerable<string> LrErrors() =>
        Require.Positive($"{GetType().Name}.Lr", Lr, "use a small positive learning rate, e.g. 0.06");
}

/// <summary>
/// Per-run optimizer state. Its tensors are allocated once and updated in place, so a run's memory stays
/// flat however many steps it takes; the engine disposes the state when the run ends.
/// </summary>
public abstract class OptimizerState : IDisposable
{
    /// <summary>Number of updates applied so far (t in the paper's bias corrections).</summary>
    public int StepCount { get; protected set; }

    /// <summary>First moment (momentum buffer), or null for an optimizer without one.</summary>
    public virtual torch.Tensor? M => null;

    /// <summary>Second moment (squared-gradient average), or null for an optimizer without one.</summary>
    public virtual torch.Tensor? V => null;

    /// <summary>Returns dtheta, the change to apply to <paramref name="param"/> for gradient
    /// <paramref name="grad"/> at learning rate <paramref name="lr"/>, and advances the state.
    /// The returned tensor belongs to the caller's dispose scope.</summary>
    public abstract torch.Tensor Step(torch.Tensor grad, torch.Tensor param, double lr);

    protected abstract IEnumerable<torch.Tensor> Buffers();

    public void Dispose()
    {
        foreach (var t in Buffers()) t.Dispose();
    }
}
