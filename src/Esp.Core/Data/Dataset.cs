namespace Esp;

/// <summary>
/// A labelled classification dataset as a description: where its examples come from, how many are used for
/// training (the N a sampler orders) and how many for validation (evaluated after each epoch, never trained on).
/// </summary>
public abstract record Dataset
{
    /// <summary>How results name the data, e.g. "fashion-mnist 60000/10000".</summary>
    public abstract string Label { get; }

    /// <summary>Which data, as the dataset column shows it ("fashion-mnist", "tabular", a file's name).</summary>
    public abstract string Name { get; }

    /// <summary>Its settings as result columns of their own: dataset, train_size, validation_size, then its own.</summary>
    public virtual IEnumerable<(string Column, object Value)> Settings() =>
        [("dataset", Name), ("train_size", TrainExamples), ("validation_size", ValidationExamples)];

    public abstract int TrainExamples { get; }

    public abstract int ValidationExamples { get; }

    /// <summary>Numbers per example (784 for a 28x28 image).</summary>
    public abstract int Features { get; }

    /// <summary>Labels are 0..Classes-1.</summary>
    public abstract int Classes { get; }

    /// <summary>Validation errors (field, value, fix) of the description, missing files included, without reading them.</summary>
    public abstract IEnumerable<string> Errors();

    /// <summary>Errors only the files' contents show (the prepare step reads them); the counts above are read after it.</summary>
    internal virtual IEnumerable<string> DataErrors() => [];

    /// <summary>Whether <see cref="Features"/> and <see cref="Classes"/> are the description's own (true), or read from
    /// the data (a CSV's columns and labels: known after the prepare step).</summary>
    internal virtual bool ShapeDescribed => true;

    /// <summary>The examples, for a run with seed <paramref name="seed"/> (data drawn from a seed use it unless they fix their own).</summary>
    internal abstract LabelledData Load(int seed);
}

/// <summary>Examples as row-major [examples, Features] floats and their labels, split into training and validation.</summary>
sealed record LabelledData(float[] TrainX, long[] TrainY, float[] ValidationX, long[] ValidationY, int Features)
{
    public int TrainCount => TrainY.Length;
    public int ValidationCount => ValidationY.Length;
}
