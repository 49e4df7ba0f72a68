using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// One run of a <see cref="CustomProblem{TData}"/> on the tensor path: what every model run holds (<see cref="ModelTensors"/>:
/// theta [1, D], views of it by segment, the decay mask of the segments the layout keeps undecayed), the run's data
/// drawn from its seed (tensors made here belong to the run's dispose scope), and the script's loss, differentiated by
/// autograd through views of theta (<see cref="ParamLayout.LossAndGrad"/>).
/// </summary>
sealed class CustomTensors<TData> : ModelTensors
{
    readonly CustomProblem<TData> problem;
    readonly TData data;

    public CustomTensors(Experiment x, CustomProblem<TData> problem, Device device, ScalarType type)
        : base(problem.Layout, x, problem.MaskedDecay is null ? DecayOn.All : DecayOn.WeightsOnly, device, type)
    {
        this.problem = problem;
        data = problem.Data(x.Seed);
    }

    public override Tensor InitialTheta()
    {
        if (problem.Start?.Invoke(data) is not { } start) return base.InitialTheta();
        return start.Length == problem.Layout.D ? Theta(start)
            : throw new ArgumentException($"CustomProblem {problem.Name}: Start gave {start.Length} values for a layout of D = {problem.Layout.D}: give one per parameter");
    }

    public override ITensorEpoch Epoch(int[][][] batches) => new CustomEpoch(this, batches[0]);

    public override Tensor FullLoss(Tensor theta) => Measure(theta, arange(problem.N, dtype: ScalarType.Int64, device: Device));

    public override double[][] EpochValues(Tensor theta) => [];

    /// <summary>The mean loss of <paramref name="examples"/> at theta, as a measurement (no gradient), [1] float64.</summary>
    Tensor Measure(Tensor theta, Tensor examples)
    {
        using var noGrad = no_grad();
        return LossOf(Views(theta[0]), examples).to_type(ScalarType.Float64).reshape(1);
    }

    /// <summary>The script's loss of one run's parameters, checked to be one number.</summary>
    Tensor LossOf(Func<string, Tensor> weight, Tensor examples) => problem.Loss(data, weight, examples) is var loss && loss.numel() == 1 ? loss
        : throw new ArgumentException($"CustomProblem {problem.Name}: Loss must give one number (the batch's mean loss), got a tensor of shape [{string.Join(", ", loss.shape)}]");

    sealed class CustomEpoch(CustomTensors<TData> owner, int[][] batches) : ITensorEpoch
    {
        public int Count => batches.Length;

        public ITensorBatchLoss Batch(int k) => new CustomBatch(owner, batches[k]);
    }

    sealed class CustomBatch(CustomTensors<TData> owner, int[] examples) : ITensorBatchLoss
    {
        Tensor Indices() => tensor(examples.Select(i => (long)i).ToArray(), device: owner.Device);

        public Tensor Loss(Tensor theta) => owner.Measure(theta, Indices());

        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training) =>
            owner.problem.Layout.LossAndGrad(theta[0], weight => owner.LossOf(weight, Indices()));
    }
}
