using System.Collections.Concurrent;

namespace Esp;

/// <summary>
/// Fashion-MNIST (Zalando; 28x28 grey images of clothes, 10 classes), read from the IDX files that Debian's
/// dataset-fashion-mnist package installs in /usr/share/datasets/fashion-mnist, or from Folder. Training uses
/// the first TrainExamples of the 60 000 training images; validation the first ValidationExamples of the 10 000
/// held-out test images (never trained on). Pixels are scaled to [0, 1].
/// </summary>
public sealed record FashionMnist(int TrainExamples = 60_000, int ValidationExamples = 10_000, string? Folder = null) : Dataset
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";
    const int TrainAvailable = 60_000, TestAvailable = 10_000;

    static readonly ConcurrentDictionary<(string, string, int), Lazy<(float[] X, long[] Y)>> cache = new();

    public override int TrainExamples { get; } = TrainExamples;
    public override int ValidationExamples { get; } = ValidationExamples;
    public override int Features => 28 * 28;
    public override int Classes => 10;
    public override string Name => "fashion-mnist";
    public override string Label => $"{Name} {TrainExamples}/{ValidationExamples}";

    string Directory => Folder ?? DebianFolder;

    static string[] Files => ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    public override IEnumerable<string> Errors()
    {
        if (TrainExamples is < 1 or > TrainAvailable)
            yield return $"FashionMnist.TrainExamples must be in [1, {TrainAvailable}], got {TrainExamples}: use e.g. {TrainAvailable} (all)";
        if (ValidationExamples is < 0 or > TestAvailable)
            yield return $"FashionMnist.ValidationExamples must be in [0, {TestAvailable}], got {ValidationExamples}: use e.g. {TestAvailable} (all), or 0 for none";
        var missing = Files.Select(f => Path.Combine(Directory, f)).Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            yield return $"FashionMnist: {string.Join(", ", missing)} not found: install Debian's package (apt-get install dataset-fashion-mnist), " +
                "or set FashionMnist.Folder to a folder holding the four IDX files (train-/t10k- images-idx3 and labels-idx1, .gz)";
    }

    internal override LabelledData Load(int seed)
    {
        var (trainX, trainY) = Part("train", TrainExamples);
        var (validationX, validationY) = Part("t10k", ValidationExamples);
        return new LabelledData(trainX, trainY, validationX, validationY, Features);
    }

    // The files are read once per process (a grid's runs share them); a part is the first `count` examples.
    (float[] X, long[] Y) Part(string prefix, int count)
    {
        var folder = Path.GetFullPath(Directory);
        return cache.GetOrAdd((folder, prefix, count), key => new Lazy<(float[], long[])>(() =>
            (Idx.Images(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), count, out _),
             Idx.Labels(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), count)))).Value;
    }
}
