namespace Esp;

/// <summary>How a run ended: completed; diverged (its loss became NaN or Inf, and it stopped there); exploded (it
/// completed, but its loss grew past <see cref="Explosion.Factor"/> times its start).</summary>
public enum RunStatus { Completed, Diverged, Exploded }

/// <summary>
/// Everything one run recorded, as plain arrays (the engine's output before it becomes Deedle frames).
/// StepColumns hold one value per step actually taken, in the order the probes define. IntraOpThreads is the libtorch
/// thread count a CPU tensor-path run computed with (a numerical setting: see <see cref="EngineOptions"/>), null for
/// fused and GPU runs.
/// </summary>
public sealed record RunRecord(
    int Run,
    IRunDescription Description,
    IReadOnlyList<string> StepColumnNames,
    IReadOnlyList<double[]> StepColumns,
    int StepsTaken,
    IReadOnlyList<string> EpochColumnNames,
    IReadOnlyList<double[]> EpochColumns,
    IReadOnlyList<(int Epoch, int Batch, double Loss)> BatchLosses,
    RunStatus Status,
    string Message,
    double Seconds,
    int? IntraOpThreads = null)
{
    /// <summary>The experiment Esp ran; a run read from another tool's log (<see cref="Logs.Results"/>) has none.</summary>
    public Experiment Experiment => Description as Experiment
        ?? throw new InvalidOperationException($"run {Run} was read from a log ({Description}), not run by Esp: it has settings, not an Experiment");

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

    /// <summary>The value of setting column <paramref name="name"/> as results show it, or null when this run has no such setting.</summary>
    public string? Setting(string name) =>
        Description.Settings().Where(s => s.Column == name).Select(s => Require.Show(s.Value)).FirstOrDefault();

    /// <summary>The setting columns whose values differ between <paramref name="runs"/> (a column some runs lack counts
    /// as differing), in first-seen order, leaving out <paramref name="except"/>.</summary>
    public static IReadOnlyList<string> VaryingSettings(IReadOnlyList<RunRecord> runs, params string[] except) =>
        runs.SelectMany(r => r.Description.Settings().Select(s => s.Column)).Distinct().Except(except)
            .Where(c => runs.Select(r => r.Setting(c)).Distinct().Count() > 1).ToList();

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
