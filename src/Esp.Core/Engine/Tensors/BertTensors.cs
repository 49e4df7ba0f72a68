using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// One BERT pre-training run on the tensor path: the pairs on the device (shared by the runs of a process, see
/// <see cref="DeviceData"/>), theta [1, D] read by the model as views, dropout from the run's own generator. Each
/// step reports its batch's masked-LM and next-sentence losses, and every PlotEvery steps the validation numbers.
/// </summary>
sealed class BertTensors : ModelTensors, ITensorProblem
{
    internal const int MostPerEvaluation = 128; // validation pairs per forward pass, if the model is narrow enough

    readonly BertPretraining problem;
    readonly PairTensors train, validation;

    public BertTensors(Experiment x, BertPretraining problem, Device device, ScalarType type) : base(problem.Model.Layout, x, problem.DecayOn, device, type)
    {
        this.problem = problem;
        var data = problem.Data;
        (train, validation) = (new PairTensors(data.Train, device, type), new PairTensors(data.Validation, device, type));
    }

    public override ITensorEpoch Epoch(int[][][] batches) => new BertEpoch(this, batches[0]);

    public override Tensor FullLoss(Tensor theta)
    {
        var parts = Evaluate(theta, train, train.Count);
        return tensor(new[] { parts.MaskedLm + parts.NextSentence }, dtype: ScalarType.Float64);
    }

    public override double[][] EpochValues(Tensor theta) => [];

    public IReadOnlyList<Tensor?> Reported(ITensorBatchLoss trained, Tensor theta, int step)
    {
        var (maskedLm, nextSentence) = ((BertBatch)trained).Parts ?? throw new InvalidOperationException("the batch was not trained on");
        if (problem.ValidationPairs == 0) return [maskedLm, nextSentence];
        if ((step + 1) % problem.PlotEvery != 0) return [maskedLm, nextSentence, null, null, null, null];
        var v = Evaluate(theta, validation, Math.Min(problem.ValidationPairs, validation.Count));
        return [maskedLm, nextSentence, .. new[] { v.MaskedLm, v.NextSentence, v.MaskedLmAccuracy, v.NextSentenceAccuracy }
            .Select(value => tensor(new[] { value }, dtype: ScalarType.Float64, device: Device))];
    }

    /// <summary>The loss parts and accuracies over the first <paramref name="count"/> pairs, without dropout, in chunks:
    /// masked-LM weighted over all their prediction slots, next-sentence over the pairs.</summary>
    (double MaskedLm, double NextSentence, double MaskedLmAccuracy, double NextSentenceAccuracy) Evaluate(Tensor theta, PairTensors pairs, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double maskedLm = 0, slots = 0, correctWords = 0, nextSentence = 0, correctPairs = 0;
        var weight = Views(theta[0]);
        int chunkSize = problem.Model.Activations(training: false, pairs.Slots).EvaluationChunk(MostPerEvaluation);
        for (int start = 0; start < count; start += chunkSize)
        {
            using var chunk = NewDisposeScope(); // a chunk's activations go before the next chunk's come
            var batch = pairs.Rows(arange(start, Math.Min(start + chunkSize, count), dtype: ScalarType.Int64, device: Device));
            var (wordLogits, pairLogits) = problem.Model.Forward(weight, batch.Tokens, batch.Segments, batch.ValidLengths, batch.Positions, null);
            double Sum(Tensor t) => t.sum().to_type(ScalarType.Float64).item<double>();
            maskedLm += Sum(WordLosses(wordLogits, batch));
            slots += Sum(batch.Weights);
            correctWords += Sum(wordLogits.argmax(2).eq(batch.Labels).to_type(batch.Weights.dtype).mul(batch.Weights));
            nextSentence += Sum(nn.functional.cross_entropy(pairLogits, batch.IsNext, reduction: nn.Reduction.Sum));
            correctPairs += Sum(pairLogits.argmax(1).eq(batch.IsNext));
        }
        return (maskedLm / slots, nextSentence / count, correctWords / slots, correctPairs / count);
    }

    /// <summary>Each slot's cross-entropy times its weight (0 for padding slots), [B, S].</summary>
    static Tensor WordLosses(Tensor wordLogits, PairRows batch) =>
        nn.functional.cross_entropy(wordLogits.flatten(0, 1), batch.Labels.flatten(), reduction: nn.Reduction.None)
            .view_as(batch.Labels).mul(batch.Weights);

    /// <summary>The paper's loss of a batch: sum(CE w) / (sum(w) + 1e-8) for the masked words plus the mean next-sentence CE.</summary>
    (Tensor Loss, Tensor MaskedLm, Tensor NextSentence) BatchLoss(Func<string, Tensor> weight, PairRows batch, bool training)
    {
        var (wordLogits, pairLogits) = problem.Model.Forward(weight, batch.Tokens, batch.Segments, batch.ValidLengths, batch.Positions,
            training ? Dropout : null);
        using var k = new Scalars(); // held to the end of the ops: an implicit Scalar may be freed by the GC mid-call
        var maskedLm = WordLosses(wordLogits, batch).sum().div(batch.Weights.sum().add(k[1e-8]));
        var nextSentence = nn.functional.cross_entropy(pairLogits, batch.IsNext);
        return (maskedLm.add(nextSentence, k[1]), maskedLm, nextSentence);
    }

    /// <summary>Pairs as device tensors: tokens, segments [P, L], lengths [P], slots' positions, labels, weights [P, S], IsNext [P].</summary>
    sealed class PairTensors(PretrainingPairs pairs, Device device, ScalarType type)
    {
        readonly Tensor tokens = DeviceData.Of(pairs.Tokens, device), segments = DeviceData.Of(pairs.Segments, device),
            validLengths = DeviceData.Of(pairs.ValidLengths, device), positions = DeviceData.Of(pairs.Positions, device),
            labels = DeviceData.Of(pairs.Labels, device), isNext = DeviceData.Of(pairs.IsNext, device),
            weights = DeviceData.Of(pairs.Weights, pairs.Count, pairs.Slots, device, type);

        public int Count => pairs.Count;
        public int Slots => pairs.Slots;

        public PairRows Rows(Tensor indices)
        {
            Tensor Take(Tensor t, int width) => t.view(pairs.Count, width).index_select(0, indices);
            return new PairRows(Take(tokens, pairs.MaxLength), Take(segments, pairs.MaxLength), validLengths.index_select(0, indices),
                Take(positions, pairs.Slots), Take(labels, pairs.Slots), weights.index_select(0, indices), isNext.index_select(0, indices));
        }
    }

    sealed record PairRows(Tensor Tokens, Tensor Segments, Tensor ValidLengths, Tensor Positions, Tensor Labels, Tensor Weights, Tensor IsNext);

    sealed class BertEpoch(BertTensors problem, int[][] batches) : ITensorEpoch
    {
        public int Count => batches.Length;

        public ITensorBatchLoss Batch(int k) => new BertBatch(problem, batches[k]);
    }

    sealed class BertBatch(BertTensors problem, int[] pairs) : ITensorBatchLoss
    {
        /// <summary>The masked-LM and next-sentence parts of the last LossAndGrad, [1] float64 each.</summary>
        public (Tensor MaskedLm, Tensor NextSentence)? Parts { get; private set; }

        PairRows Rows() => problem.train.Rows(tensor(pairs.Select(i => (long)i).ToArray(), device: problem.Device));

        public Tensor Loss(Tensor theta)
        {
            using var noGrad = no_grad();
            return problem.BatchLoss(problem.Views(theta[0]), Rows(), training: false).Loss.reshape(1);
        }

        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training)
        {
            Tensor maskedLm = null!, nextSentence = null!;
            var result = problem.Layout.LossAndGrad(theta[0], weight =>
            {
                var (loss, m, n) = problem.BatchLoss(weight, Rows(), training);
                (maskedLm, nextSentence) = (m, n);
                return loss;
            });
            Parts = (maskedLm.detach().to_type(ScalarType.Float64).reshape(1), nextSentence.detach().to_type(ScalarType.Float64).reshape(1));
            return result;
        }
    }
}
