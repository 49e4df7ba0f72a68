using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Hyperparameters that may differ between the runs of a batch, as tensors that broadcast against the
/// parameters: shape [R, 1] against a batch's [R, D], shape [1] against a single run's parameter of any shape.
/// </summary>
sealed class PerRun<TOptimizer> : IDisposable
{
    readonly IReadOnlyList<TOptimizer> runs;
    readonly Tensor param;
    readonly long[] shape;
    readonly List<Tensor> constants = [];
    readonly Tensor? decayMask;

    /// <param name="decayMask">[D]: 1 where weight decay applies, 0 where it does not; null: everywhere.</param>
    public PerRun(IReadOnlyList<TOptimizer> runs, Tensor param, Tensor? decayMask = null)
    {
        this.decayMask = decayMask;
        if (runs.Count > 1 && (param.dim() != 2 || param.shape[0] != runs.Count))
            throw new ArgumentException($"a batch of {runs.Count} runs needs parameters shaped [{runs.Count}, D], got [{string.Join(", ", param.shape)}]");
        (this.runs, this.param, shape) = (runs, param, runs.Count > 1 ? [runs.Count, 1] : [1]);
    }

    public int Count => runs.Count;

    public IReadOnlyList<TOptimizer> Runs => runs;

    /// <summary>A value per run, for one step: the tensor belongs to the caller's dispose scope.</summary>
    public Tensor Of(IEnumerable<double> values) =>
        tensor(values.ToArray(), dtype: param.dtype, device: param.device).reshape(shape);

    /// <summary>A hyperparameter of every run, held (and disposed) with the optimizer state.</summary>
    public Tensor Constant(Func<TOptimizer, double> value)
    {
        var t = Of(runs.Select(value)).DetachFromDisposeScope();
        constants.Add(t);
        return t;
    }

    /// <summary>A weight-decay coefficient of every run, zero where the decay mask says so ([R, D] with a mask).</summary>
    public Tensor Decay(Func<TOptimizer, double> value)
    {
        var t = Masked(Of(runs.Select(value))).DetachFromDisposeScope();
        constants.Add(t);
        return t;
    }

    /// <summary><paramref name="perRun"/> times the decay mask, when there is one.</summary>
    public Tensor Masked(Tensor perRun) => decayMask is null ? perRun : perRun.mul(decayMask);

    public void Dispose()
    {
        foreach (var t in constants) t.Dispose();
    }
}
