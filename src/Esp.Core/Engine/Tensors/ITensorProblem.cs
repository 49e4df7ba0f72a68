using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A problem as the tensor step loop (<see cref="TensorBatch"/>) sees it, for a batch of R runs whose parameters
/// are theta [R, D]: the starting point, each epoch's batches in every run's visiting order, and the epoch-end
/// measurements. Quadratic runs batch many runs; networks are a batch of one.
/// </summary>
interface ITensorProblem : IDisposable
{
    /// <summary>Every run's starting theta, [R, D] (a plain tensor: it is updated in place).</summary>
    Tensor InitialTheta();

    /// <summary>The state of the problem's own random stream (a network's dropout generator), for checkpoints; null: none.</summary>
    Tensor? RandomState { get; set; }

    /// <summary>[D]: 1 where weight decay applies, 0 where it does not; null: everywhere.</summary>
    Tensor? DecayMask { get; }

    /// <summary>The epoch whose batches are <paramref name="batches"/>[r][k] (run r's k-th batch; the same sizes for every run).</summary>
    ITensorEpoch Epoch(int[][][] batches);

    /// <summary>Each run's loss over all N examples, [R] (without dropout).</summary>
    Tensor FullLoss(Tensor theta);

    /// <summary>Each run's values ([R] float64, null: none this step) of the problem's <see cref="Problem.ReportedColumns"/> at
    /// global step <paramref name="step"/>, after the step's update of <paramref name="theta"/>; <paramref name="trained"/>
    /// is the batch the step trained on.</summary>
    IReadOnlyList<Tensor?> Reported(ITensorBatchLoss trained, Tensor theta, int step) => [];

    /// <summary>Each run's values of the problem's epoch columns (<see cref="Problem.EpochColumns"/>), [column][run].</summary>
    double[][] EpochValues(Tensor theta);
}

/// <summary>One epoch's batches of every run of a batch.</summary>
interface ITensorEpoch
{
    int Count { get; }

    ITensorBatchLoss Batch(int k);

    /// <summary>The loss of every batch of the epoch at theta, per run, in visiting order (paper figure 10b).</summary>
    double[][] EveryBatchLoss(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var losses = Enumerable.Range(0, Count).Select(k => Batch(k).Loss(theta).to_type(ScalarType.Float64).cpu().data<double>().ToArray()).ToArray();
        return Enumerable.Range(0, losses[0].Length).Select(r => losses.Select(l => l[r]).ToArray()).ToArray();
    }
}

/// <summary>The k-th batch of every run: its loss [R] and gradient [R, D] at theta [R, D].</summary>
interface ITensorBatchLoss
{
    /// <summary>The loss as a measurement (no dropout, no randomness drawn).</summary>
    Tensor Loss(Tensor theta);

    /// <summary>The loss and its gradient; <paramref name="training"/>: as the step that trains on it (dropout on).</summary>
    (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training);
}
