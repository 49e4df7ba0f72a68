namespace Esp;

/// <summary>How a run ended.</summary>
public enum RunStatus { Completed, Diverged }

/// <summary>
/// Everything one run recorded, as plain arrays (the engine's output before it becomes Deedle frames).
/// StepColumns hold one value per step actually taken, in the order the probes define.
/// </summary>
public sealed record RunRecord(
    int Run,
    Experiment Experiment,
    IReadOnlyList<string> StepColumnNames,
    IReadOnlyList<double[]> StepColumns,
    int StepsTaken,
    IReadOnlyList<string> EpochColumnNames,
    IReadOnlyList<double[]> EpochColumns,
    IReadOnlyList<(int Epoch, int Batch, double Loss)> BatchLosses,
    RunStatus Status,
    string Message,
    double Seconds)
{
    /// <summary>The full-dataset loss after each epoch (Probes.EpochEndFullLoss), or empty.</summary>
    public double[] EpochEndFullLoss => EpochColumnNames.Contains("full_loss") ? EpochColumn("full_loss") : [];

    /// <summary>An epoch-end column (full_loss, val_loss, val_accuracy, ...): one value per completed epoch.</summary>
    public double[] EpochColumn(string name)
    {
        int k = EpochColumnNames.ToList().IndexOf(name);
        if (k < 0)
            throw new ArgumentException($"run {Run} recorded no epoch column \"{name}\"; it has: {string.Join(", ", EpochColumnNames)}");
        return EpochColumns[k];
    }

    /// <summary>The batch loss of every step taken (before each update).</summary>
    public double[] Losses => Column("loss");

    public double[] Column(string name)
    {
        int k = StepColumnNames.ToList().IndexOf(name);
        if (k < 0)
            throw new ArgumentException($"run {Run} recorded no column \"{name}\"; it has: {string.Join(", ", StepColumnNames)}. Ask for it in Experiment.Probes");
        return StepColumns[k][..StepsTaken];
    }
}
