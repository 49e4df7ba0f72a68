namespace Esp;

/// <summary>
/// What one run records while it executes, whichever backend runs it: a value per step per probe column,
/// the full loss after each epoch and the batch losses at the asked epoch starts. <see cref="Finish"/>
/// turns it into the run's <see cref="RunRecord"/>.
/// </summary>
sealed class RunLog
{
    readonly double[][] values;
    readonly List<double> fullLoss = [];
    readonly List<(int, int, double)> batchLosses = [];

    public RunLog(Experiment x)
    {
        Columns = StepColumns.For(x.Recorded);
        values = Columns.Select(_ => new double[x.TotalSteps]).ToArray();
    }

    public StepColumns Columns { get; }

    /// <summary>Records <paramref name="value"/> in <paramref name="column"/> at global step <paramref name="t"/>; absent columns (-1) are skipped.</summary>
    public void Set(int column, int t, double value)
    {
        if (column >= 0) values[column][t] = value;
    }

    public double Get(int column, int t) => values[column][t];

    public void AddFullLoss(double loss) => fullLoss.Add(loss);

    public void AddBatchLosses(int epoch, IEnumerable<double> losses) =>
        batchLosses.AddRange(losses.Select((l, k) => (epoch, k + 1, l)));

    public RunRecord Finish(int run, Experiment x, RunStatus status, string message, int steps, double seconds) =>
        new(run, x, Columns.Names, values, steps, fullLoss.ToArray(), batchLosses, status, message, seconds);
}
