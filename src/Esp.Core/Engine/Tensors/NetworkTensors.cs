using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// One network run on the tensor path: the data on the device, theta [1, D] whose segments the model reads as
/// views, and autograd for the gradient (<see cref="ParamLayout.LossAndGrad"/>); theta itself is updated in place
/// without autograd.
/// </summary>
sealed class NetworkTensors : ModelTensors
{
    internal const int MostPerEvaluation = 8192; // examples per forward pass when measuring a whole dataset, if the model is narrow enough

    readonly Network network;
    readonly Tensor trainX, trainY, validationX, validationY;

    public NetworkTensors(Experiment x, Network network, Device device, ScalarType type) : base(network.Model.Layout, x, network.DecayOn, device, type)
    {
        this.network = network;
        var data = network.Data.Load(x.Seed);
        (trainX, trainY) = (DeviceData.Of(data.TrainX, data.TrainCount, data.Features, device, type), DeviceData.Of(data.TrainY, device));
        (validationX, validationY) = (DeviceData.Of(data.ValidationX, data.ValidationCount, data.Features, device, type),
            DeviceData.Of(data.ValidationY, device));
    }

    public override ITensorEpoch Epoch(int[][][] batches) => new NetworkEpoch(this, batches[0]);

    public override Tensor FullLoss(Tensor theta) => tensor(new[] { Evaluate(theta, trainX, trainY).Loss }, dtype: ScalarType.Float64);

    public override double[][] EpochValues(Tensor theta)
    {
        if (validationY.shape[0] == 0) return [];
        var (loss, accuracy) = Evaluate(theta, validationX, validationY);
        return [[loss], [accuracy]];
    }

    /// <summary>Mean cross-entropy and accuracy over a whole dataset, without dropout, in chunks.</summary>
    (double Loss, double Accuracy) Evaluate(Tensor theta, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double lossSum = 0, correct = 0;
        long n = y.shape[0], chunkSize = network.Model.Activations(training: false).EvaluationChunk(MostPerEvaluation);
        for (long start = 0; start < n; start += chunkSize)
        {
            using var chunk = NewDisposeScope(); // a chunk's activations go before the next chunk's come
            long size = Math.Min(chunkSize, n - start);
            var logits = network.Model.Forward(Views(theta[0]), x.narrow(0, start, size), null);
            var labels = y.narrow(0, start, size);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
            correct += logits.argmax(1, false).eq(labels).sum().to_type(ScalarType.Float64).item<double>();
        }
        return (lossSum / n, correct / n);
    }

    /// <summary>The mean cross-entropy of the examples <paramref name="indices"/> with one run's parameters, by segment name.</summary>
    Tensor BatchLoss(Func<string, Tensor> weight, Tensor indices, bool training)
    {
        var logits = network.Model.Forward(weight, trainX.index_select(0, indices), training ? Dropout : null);
        return nn.functional.cross_entropy(logits, trainY.index_select(0, indices));
    }

    sealed class NetworkEpoch(NetworkTensors problem, int[][] batches) : ITensorEpoch
    {
        public int Count => batches.Length;

        public ITensorBatchLoss Batch(int k) => new NetworkBatch(problem, batches[k]);
    }

    sealed class NetworkBatch(NetworkTensors problem, int[] examples) : ITensorBatchLoss
    {
        Tensor Indices() => tensor(examples.Select(i => (long)i).ToArray(), device: problem.Device);

        public Tensor Loss(Tensor theta)
        {
            using var noGrad = no_grad();
            return problem.BatchLoss(problem.Views(theta[0]), Indices(), training: false).reshape(1);
        }

        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training) =>
            problem.Layout.LossAndGrad(theta[0], weight => problem.BatchLoss(weight, Indices(), training));
    }
}
