using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// One run of a <see cref="CustomProblem{TData}"/> on the tensor path: the run's data drawn from its seed (tensors made
/// here belong to the run's dispose scope), theta [1, D], and the script's loss, differentiated by autograd through
/// views of theta (<see cref="ParamLayout.LossAndGrad"/>). Segments the layout marks as not decayed are masked from
/// weight decay.
/// </summary>
sealed class CustomTensors<TData> : ITensorProblem
{
    readonly CustomProblem<TData> problem;
    readonly TData data;
    readonly Experiment run;
    readonly Device device;
    readonly ScalarType type;

    public CustomTensors(Experiment x, CustomProblem<TData> problem, Device device, ScalarType type)
    {
        (this.problem, run, this.device, this.type) = (problem, x, device, type);
        data = problem.Data(x.Seed);
        DecayMask = problem.Layout.Segments.All(s => s.Decay) ? null
            : tensor(problem.Layout.Mask(s => s.Decay), dtype: type, device: device).DetachFromDisposeScope();
    }

    public Tensor? DecayMask { get; }

    public Tensor? RandomState { get => null; set { } }

    public Tensor InitialTheta()
    {
        var start = problem.Start?.Invoke(data) ?? problem.Layout.Initial(Rng.For(run.Seed, "init"));
        if (start.Length != problem.Layout.D)
            throw new ArgumentException($"CustomProblem {problem.Name}: Start gave {start.Length} values for a layout of D = {problem.Layout.D}: give one per parameter");
        return tensor(start, [1, start.Length], dtype: type, device: device);
    }

    public ITensorEpoch Epoch(int[][][] batches) => new CustomEpoch(this, batches[0]);

    public Tensor FullLoss(Tensor theta) => Measure(theta, arange(problem.N, dtype: ScalarType.Int64, device: device));

    public double[][] EpochValues(Tensor theta) => [];

    /// <summary>The mean loss of <paramref name="examples"/> at theta, as a measurement (no gradient), [1] float64.</summary>
    Tensor Measure(Tensor theta, Tensor examples)
    {
        using var noGrad = no_grad();
        return LossOf(Views(theta[0]), examples).to_type(ScalarType.Float64).reshape(1);
    }

    /// <summary>The script's loss of one run's parameters, checked to be one number.</summary>
    Tensor LossOf(Func<string, Tensor> weight, Tensor examples) => problem.Loss(data, weight, examples) is var loss && loss.numel() == 1 ? loss
        : throw new ArgumentException($"CustomProblem {problem.Name}: Loss must give one number (the batch's mean loss), got a tensor of shape [{string.Join(", ", loss.shape)}]");

    Func<string, Tensor> Views(Tensor parameters) => name => problem.Layout.View(parameters, name);

    public void Dispose() => DecayMask?.Dispose();

    sealed class CustomEpoch(CustomTensors<TData> owner, int[][] batches) : ITensorEpoch
    {
        public int Count => batches.Length;

        public ITensorBatchLoss Batch(int k) => new CustomBatch(owner, batches[k]);
    }

    sealed class CustomBatch(CustomTensors<TData> owner, int[] examples) : ITensorBatchLoss
    {
        Tensor Indices() => tensor(examples.Select(i => (long)i).ToArray(), device: owner.device);

        public Tensor Loss(Tensor theta) => owner.Measure(theta, Indices());

        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training) =>
            owner.problem.Layout.LossAndGrad(theta[0], weight => owner.LossOf(weight, Indices()));
    }
}
