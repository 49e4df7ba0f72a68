using System.Numerics;
using TorchSharp;

namespace Esp;

/// <summary>
/// An optimizer description, in the style of optax's GradientTransformation: <see cref="Init"/> makes the
/// per-run state (m, v, step count) and the state's <see cref="OptimizerState.Step(torch.Tensor, torch.Tensor, double)"/>
/// maps a gradient to the parameter change. Esp owns every update so that m and v stay observable to probes.
/// </summary>
public abstract record Optimizer(double Lr)
{
    /// <summary>Short lower-case name used in result columns ("adam", "sgd", ...).</summary>
    public abstract string Name { get; }

    /// <summary>Validation errors in the user's terms; empty when the description is valid.</summary>
    public abstract IEnumerable<string> Errors();

    /// <summary>Identifying settings, written as columns of steps.csv and runs.csv.</summary>
    public abstract IEnumerable<(string Column, object Value)> Settings();

    /// <summary>
    /// Creates the state of one run for a parameter tensor (zeros shaped like it). This is all a new optimizer
    /// must provide: it then runs on the tensor backend, one run per batch. Esp's own optimizers also step a
    /// batch of runs at once (<see cref="InitRuns"/>) and have fused CPU updates.
    /// </summary>
    public abstract OptimizerState Init(torch.Tensor param);

    /// <summary>
    /// The update's shape: runs whose optimizers share it can be stepped as one batch, whatever their numbers
    /// (learning rate, betas, eps, weight decay differ per run); e.g. centred RMSProp cannot share with plain.
    /// Null: every run of this optimizer is a batch of its own.
    /// </summary>
    internal virtual string? Kernel => null;

    /// <summary>One state for a batch of runs (all of this type and <see cref="Kernel"/>), on parameters [R, D].
    /// <paramref name="decayMask"/> [D] (1 decays, 0 does not) limits weight decay to some parameters (a network's
    /// weights, not its biases); Esp's own optimizers honour it, <see cref="MasksDecay"/>.</summary>
    internal virtual OptimizerState InitRuns(IReadOnlyList<Optimizer> runs, torch.Tensor param, torch.Tensor? decayMask = null) => runs.Count == 1
        ? new OneRunState(runs[0].Init(param[0]))
        : throw new InvalidOperationException($"{GetType().Name} steps one run at a time (it has no Kernel), got {runs.Count}");

    /// <summary>Per-step columns the optimizer reports about what it did (SPAM: coordinates clipped, resets).</summary>
    internal virtual IReadOnlyList<string> ReportedColumns => [];

    // What the optimizer has, declared (the engine and validation read these, never the optimizer's type):
    // a batched kernel (Kernel, InitRuns), a weight-decay mask, a second moment, checkpointable state, a fused CPU update.

    /// <summary>Whether <see cref="InitRuns"/> honours a weight-decay mask (Esp's own optimizers do).</summary>
    internal virtual bool MasksDecay => false;

    /// <summary>Whether its state keeps a first moment m (a momentum buffer), what step probes such as CosineGradMomentum read.</summary>
    internal virtual bool HasFirstMoment => false;

    /// <summary>Whether its state keeps a second moment v (what Probes.GradientSpikeTheta compares g^2 with).</summary>
    internal virtual bool HasSecondMoment => false;

    /// <summary>Whether its state can be saved and restored (<see cref="OptimizerState.Saved"/>), for checkpoints.</summary>
    internal virtual bool Checkpointable => false;

    /// <summary>Whether it has a fused CPU update for the quadratic problem (<see cref="RunFused{T}"/>).</summary>
    internal virtual bool HasFusedUpdate => false;

    /// <summary>Runs a fused CPU run with the optimizer's own update: hands <paramref name="trainer"/> its
    /// <see cref="IDenseUpdate{T}"/> (a struct, so that the pass is specialised for it).</summary>
    internal virtual RunRecord RunFused<T>(IFusedTrainer<T> trainer) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{GetType().Name} has no fused CPU update: run it on the tensor path (Backend.Auto or Tensors)");

    protected IEnumerable<string> LrErrors() =>
        Require.Positive($"{GetType().Name}.Lr", Lr, "use a small positive learning rate, e.g. 0.06");
}

/// <summary>
/// Optimizer state of one run, or of a batch of runs with a leading run dimension. Its tensors are allocated
/// once and updated in place, so memory stays flat however many steps a run takes; the engine disposes the
/// state when the run ends.
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
    public torch.Tensor Step(torch.Tensor grad, torch.Tensor param, double lr) => Step(grad, param, [lr]);

    /// <summary>The same for a batch ([R, D] tensors): <paramref name="lr"/> holds each run's learning rate at this
    /// step. A state of one run (an optimizer without a Kernel) gets [D] tensors and a single learning rate.</summary>
    public abstract torch.Tensor Step(torch.Tensor grad, torch.Tensor param, IReadOnlyList<double> lr);

    protected abstract IEnumerable<IDisposable> Buffers();

    /// <summary>The tensors that, with <see cref="StepCount"/>, are the whole state: a checkpoint saves them and restores
    /// them in place. Null: this state cannot be checkpointed (an optimizer written outside Esp).</summary>
    internal virtual IReadOnlyList<torch.Tensor>? Saved => null;

    /// <summary>This step's values of the optimizer's <see cref="Optimizer.ReportedColumns"/>, each run's ([R] float64), after Step.</summary>
    internal virtual IReadOnlyList<torch.Tensor?> Reported => [];

    /// <summary>Sets the step count of a state restored from a checkpoint.</summary>
    internal void RestoreStepCount(int steps) => StepCount = steps;

    public void Dispose()
    {
        foreach (var t in Buffers()) t.Dispose();
    }
}

/// <summary>A state written for one run, seen by the engine as a batch of one: [1, D] tensors are handed to it as [D].</summary>
sealed class OneRunState(OptimizerState inner) : OptimizerState
{
    public override torch.Tensor? M => inner.M?.unsqueeze(0);
    public override torch.Tensor? V => inner.V?.unsqueeze(0);

    public override torch.Tensor Step(torch.Tensor grad, torch.Tensor param, IReadOnlyList<double> lr)
    {
        var delta = inner.Step(grad[0], param[0], lr);
        StepCount = inner.StepCount;
        return delta.unsqueeze(0);
    }

    protected override IEnumerable<IDisposable> Buffers() => [inner];
}
