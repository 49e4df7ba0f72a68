namespace Esp;

/// <summary>
/// What one run records while it executes, whichever backend runs it: a value per step per probe column,
/// the epoch-end columns (full loss when asked, and the problem's own, e.g. validation) and the batch losses at
/// the asked epoch starts. <see cref="Finish"/>
/// turns it into the run's <see cref="RunRecord"/>.
/// </summary>
sealed class RunLog
{
    readonly double[][] values;
    readonly List<double>[] epochEnd;
    readonly List<(int, int, double)> batchLosses = [];

    public RunLog(Experiment x)
    {
        Columns = StepColumns.For(x.Recorded);
        values = Columns.Select(_ => new double[x.TotalSteps]).ToArray();
        EpochColumns = (x.Recorded.EpochEndFullLoss ? ["full_loss"] : Array.Empty<string>()).Concat(x.Problem.EpochColumns).ToArray();
        epochEnd = EpochColumns.Select(_ => new List<double>()).ToArray();
    }

    /// <summary>The epoch-end columns: full_loss when Probes.EpochEndFullLoss, then the problem's.</summary>
    public IReadOnlyList<string> EpochColumns { get; }

    public StepColumns Columns { get; }

    /// <summary>Records <paramref name="value"/> in <paramref name="column"/> at global step <paramref name="t"/>; absent columns (-1) are skipped.</summary>
    public void Set(int column, int t, double value)
    {
        if (column >= 0) values[column][t] = value;
    }

    public double Get(int column, int t) => values[column][t];

    /// <summary>Appends this epoch's value of epoch column <paramref name="name"/>.</summary>
    public void AddEpochEnd(string name, double value) => epochEnd[EpochColumnIndex(name)].Add(value);

    int EpochColumnIndex(string name) => EpochColumns.ToList().IndexOf(name) is var k and >= 0 ? k
        : throw new ArgumentException($"no epoch column \"{name}\" here; there are: {string.Join(", ", EpochColumns)}");

    public void AddBatchLosses(int epoch, IEnumerable<double> losses) =>
        batchLosses.AddRange(losses.Select((l, k) => (epoch, k + 1, l)));

    public RunRecord Finish(int run, Experiment x, RunStatus status, string message, int steps, double seconds) =>
        new(run, x, Columns.Names, values, steps, EpochColumns, epochEnd.Select(l => l.ToArray()).ToArray(), batchLosses,
            status, message, seconds);
}
