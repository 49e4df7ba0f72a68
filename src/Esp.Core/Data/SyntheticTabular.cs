namespace Esp;

/// <summary>
/// A tabular classification task drawn from a seed, the size of the small MLPs people ask about loss spikes on:
/// Classes Gaussian clusters in Features dimensions, class means ~ N(0, Separation^2 I), each example its class
/// mean plus N(0, I) noise, labels uniform. The defaults (1000 training rows, 14 features, 4 classes) leave a last
/// batch of 8 at batch size 32, as in the question that motivates it. Drawn from DataSeed, or the run's seed.
/// </summary>
public sealed record SyntheticTabular(int TrainExamples = 1000, int ValidationExamples = 250, int Features = 14, int Classes = 4,
    double Separation = 1.0, int? DataSeed = null) : Dataset
{
    public override int TrainExamples { get; } = TrainExamples;
    public override int ValidationExamples { get; } = ValidationExamples;
    public override int Features { get; } = Features;
    public override int Classes { get; } = Classes;
    public override string Name => "tabular";
    public override string Label => $"{Name} {TrainExamples}/{ValidationExamples} {Features}x{Classes}";

    public override IEnumerable<(string Column, object Value)> Settings() =>
        base.Settings().Concat([("features", (object)Features), ("classes", Classes), ("separation", Separation)]);

    public override IEnumerable<string> Errors()
    {
        if (TrainExamples < 1) yield return $"SyntheticTabular.TrainExamples must be >= 1, got {TrainExamples}: use e.g. 1000";
        if (ValidationExamples < 0) yield return $"SyntheticTabular.ValidationExamples must be >= 0, got {ValidationExamples}: use e.g. 250, or 0 for none";
        if (Features < 1) yield return $"SyntheticTabular.Features must be >= 1, got {Features}: use e.g. 14";
        if (Classes < 2) yield return $"SyntheticTabular.Classes must be >= 2, got {Classes}: use e.g. 4";
        foreach (var e in Require.Positive("SyntheticTabular.Separation", Separation, "use e.g. 1")) yield return e;
    }

    // Drawn once per (description, seed) in a process, so runs of a grid that share them share the arrays and their
    // device tensors (DeviceData) instead of each uploading a copy.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(SyntheticTabular, int), Lazy<LabelledData>> drawn = new();

    internal override LabelledData Load(int seed) => drawn.GetOrAdd((this, DataSeed ?? seed), key => new Lazy<LabelledData>(() => Draw(key.Item2))).Value;

    LabelledData Draw(int seed)
    {
        var rng = Rng.For(seed, "data");
        var means = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, Features).Select(_ => Separation * rng.Normal()).ToArray()).ToArray();
        (float[], long[]) Draw(int count)
        {
            var x = new float[count * Features];
            var y = new long[count];
            for (int i = 0; i < count; i++)
            {
                y[i] = rng.NextInt(Classes);
                for (int f = 0; f < Features; f++) x[i * Features + f] = (float)(means[y[i]][f] + rng.Normal());
            }
            return (x, y);
        }
        var (trainX, trainY) = Draw(TrainExamples);
        var (validationX, validationY) = Draw(ValidationExamples);
        return new LabelledData(trainX, trainY, validationX, validationY, Features);
    }
}
