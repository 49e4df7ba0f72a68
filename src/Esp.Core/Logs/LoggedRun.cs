namespace Esp;

/// <summary>One logged quantity of a run: its values at the steps the log has them, in step order.</summary>
public sealed record LoggedSeries(IReadOnlyList<long> Steps, IReadOnlyList<double> Values)
{
    public int Count => Steps.Count;

    /// <summary>The points of a step-keyed table, in step order.</summary>
    internal static LoggedSeries Of(SortedDictionary<long, double> points) => new(points.Keys.ToList(), points.Values.ToList());
}

/// <summary>
/// A training run as another tool logged it (TensorBoard, Lightning's CSVLogger, the Hugging Face Trainer, a CSV
/// export): each tag's series by step, the epoch of each logged step where the log has it (<see cref="Epoch"/>, e.g.
/// Lightning's epoch column or the Trainer's fractional epoch), the settings it recorded (hyperparameters), and what
/// reading it noticed (<see cref="Note"/>: a truncated file read up to its last good record). <see cref="StepsFromOne"/>:
/// the log numbers a step by the updates done after it (the Hugging Face Trainer: 1 for the first), not from 0;
/// <see cref="EpochsDone"/>: its epoch column is the fraction of epochs done after the step (the Trainer's), not the
/// epoch the step is in (Lightning's).
/// </summary>
public sealed record LoggedRun(string Source, string Name, IReadOnlyDictionary<string, LoggedSeries> Tags,
    LoggedSeries? Epoch, IReadOnlyList<(string Column, object Value)> Settings, string Note = "", bool StepsFromOne = false, bool EpochsDone = false)
{
    /// <summary><paramref name="tag"/>, or the loss tag when null; a run with neither is refused with the tags it has.</summary>
    public string TagToDiagnose(string? tag) => tag ?? LossTag ?? throw new ArgumentException(
        $"{Source} run \"{Name}\" has no loss tag (loss, train_loss, train/loss, ...); its tags: {string.Join(", ", Tags.Keys.Order(StringComparer.Ordinal))}. " +
        "Name the one to diagnose (--tag NAME, or the tag argument)");

    /// <summary>The series of <paramref name="tag"/>; a tag the log lacks is refused with the tags it has.</summary>
    public LoggedSeries Series(string tag) => Tags.TryGetValue(tag, out var series) ? series
        : throw new ArgumentException($"{Source} run \"{Name}\" has no tag \"{tag}\"; its tags: {string.Join(", ", Tags.Keys.Order(StringComparer.Ordinal))}");

    /// <summary>The tag that holds the training loss: the first of loss, train_loss, train/loss, ... the log has, or null.</summary>
    public string? LossTag => LossTags.FirstOrDefault(Tags.ContainsKey);

    /// <summary>The learning-rate tag, or null when the log has none.</summary>
    public string? LearningRateTag => LearningRateTags.FirstOrDefault(Tags.ContainsKey);

    static readonly string[] LossTags = ["loss", "train_loss", "train/loss", "training_loss", "loss/train", "train_loss_step", "Loss/train"];
    static readonly string[] LearningRateTags = ["lr_t", "lr", "learning_rate", "train/learning_rate", "lr-Adam", "lr-AdamW", "lr-SGD"];
}
