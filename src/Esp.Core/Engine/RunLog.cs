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
        Columns = StepColumns.For(x.Recorded, x.Optimizer, x.Problem);
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

    /// <summary>Writes what was recorded over the first <paramref name="steps"/> steps (a checkpoint).</summary>
    public void Write(BinaryWriter w, int steps)
    {
        foreach (var column in values)
            for (int t = 0; t < steps; t++) w.Write(column[t]);
        foreach (var list in epochEnd)
        {
            w.Write(list.Count);
            foreach (var v in list) w.Write(v);
        }
        w.Write(batchLosses.Count);
        foreach (var (epoch, batch, loss) in batchLosses) { w.Write(epoch); w.Write(batch); w.Write(loss); }
    }

    /// <summary>Restores what <see cref="Write"/> wrote, into a fresh log of the same experiment.</summary>
    public void Read(BinaryReader r, int steps)
    {
        foreach (var column in values)
            for (int t = 0; t < steps; t++) column[t] = r.ReadDouble();
        foreach (var list in epochEnd)
            for (int k = r.ReadInt32(); k > 0; k--) list.Add(r.ReadDouble());
        for (int k = r.ReadInt32(); k > 0; k--) batchLosses.Add((r.ReadInt32(), r.ReadInt32(), r.ReadDouble()));
    }

    /// <summary>The run's record; a completed run whose loss grew past <see cref="Explosion.Factor"/> times its start is
    /// marked exploded, with the step.</summary>
    public RunRecord Finish(int run, Experiment x, RunStatus status, string message, int steps, double seconds)
    {
        if (status == RunStatus.Completed && Explosion.Find(values[Columns.Loss][..steps], x.StepsPerEpoch) is { } explosion)
            (status, message) = (RunStatus.Exploded, DivergenceMessage.Exploded(run, x, explosion));
        return new(run, x, Columns.Names, values, steps, EpochColumns, epochEnd.Select(l => l.ToArray()).ToArray(), batchLosses,
            status, message, seconds);
    }
}
