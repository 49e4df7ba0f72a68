using static TorchSharp.torch;

namespace Esp;

/// <summary>Which parameters weight decay applies to.</summary>
public enum DecayOn
{
    /// <summary>Every parameter (torch.optim's behaviour).</summary>
    All,
    /// <summary>Weights only: not biases or norm parameters (what most training recipes do).</summary>
    WeightsOnly,
}

/// <summary>
/// A network trained to classify a dataset with the cross-entropy loss (mean over the batch). The run's
/// parameters are one flat vector laid out by the model (<see cref="Model.Layout"/>), drawn with PyTorch's default
/// initialisation from the run's seed; dropout draws from the run's own generator. After each epoch the
/// validation loss and accuracy are recorded (val_loss, val_accuracy in epochs.csv). Float32 by default.
/// </summary>
public sealed record Network(Model Model, Dataset Data, Precision Precision = Precision.Float32, DecayOn DecayOn = DecayOn.All) : Problem
{
    internal override int Examples => Data.TrainExamples;
    internal override int Parameters => Model.Layout.D;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("model", Model.Label), .. Model.Settings(), ("data", Data.Label), .. Data.Settings(), ("n", Examples), ("d", Parameters),
         ("precision", Precision == Precision.Float64 ? "float64" : "float32"), ("decay_on", DecayOn == DecayOn.All ? "all" : "weights")];

    internal override IReadOnlyList<string> DerivedSettings => ["model", "data", "n", "d"];

    internal override IReadOnlyList<string> EpochColumns => Data.ValidationExamples > 0 ? ["val_loss", "val_accuracy"] : [];

    internal override double StepCost(int batchSize) => (double)Parameters * batchSize;

    internal override object? BatchKey => null; // a network run is a batch of its own

    internal override (string Why, string Fix)? MaskedDecay => DecayOn == DecayOn.WeightsOnly ? ("Network.DecayOn = WeightsOnly", "use DecayOn.All") : null;

    /// <summary>
    /// The data (per example the file's bytes, the host's floats and the device's copy, and the labels), theta with its
    /// moments, gradient and the step's temporaries (about 8 D), and the larger of a training step's activations and an
    /// evaluation chunk's (validation, or the full loss; both run at epoch ends, outside the steps): <see cref="Model.Activations"/>.
    /// </summary>
    internal override long TensorBytesPerRun(Experiment x)
    {
        long size = Precision == Precision.Float64 ? 8 : 4, examples = (long)Data.TrainExamples + Data.ValidationExamples;
        long data = examples * (Data.Features * (1 + 4 + size) + 17), state = 8L * Parameters * size;
        long evaluated = Math.Max(Data.ValidationExamples, x.Recorded.EpochEndFullLoss ? Data.TrainExamples : 0); // at epoch ends, after the steps
        var evaluation = Model.Activations(training: false);
        long chunk = Math.Min(evaluation.EvaluationChunk(NetworkTensors.MostPerEvaluation), evaluated);
        return data + state + Math.Max(Model.Activations(training: true).TrainingBytes(x.BatchSize, size),
            evaluation.EvaluationBytes(chunk, size));
    }

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        runs.Count == 1 ? new NetworkTensors(runs[0], this, device, type)
            : throw new ArgumentException($"a network runs one run per batch, got {runs.Count}");

    public override IEnumerable<string> Errors()
    {
        var own = Model.Errors().Concat(Model.CountErrors()).Concat(Data.Errors()).ToList();
        foreach (var e in own) yield return e;
        if (!Enum.IsDefined(Precision)) yield return $"Network.Precision must be Float32 or Float64, got {(int)Precision}";
        if (own.Count == 0 && Data.ShapeDescribed) foreach (var e in ShapeErrors()) yield return e;
    }

    internal override IEnumerable<string> DataErrors()
    {
        var dataErrors = Data.DataErrors().ToList();
        return dataErrors.Count > 0 || Data.ShapeDescribed ? dataErrors : ShapeErrors(); // data that could not be read has no shape to compare
    }

    /// <summary>The model against the data's shape: its inputs against the features, its outputs against the classes.</summary>
    IEnumerable<string> ShapeErrors()
    {
        if (Model.Inputs != Data.Features)
            yield return $"Network: the model reads {Model.Inputs} inputs per example but {Data.Label} has {Data.Features} features: " +
                $"set the model's inputs to {Data.Features}";
        if (Model.Outputs != Data.Classes)
            yield return $"Network: the model scores {Model.Outputs} classes but {Data.Label} has {Data.Classes}: set the model's outputs to {Data.Classes}";
    }
}
