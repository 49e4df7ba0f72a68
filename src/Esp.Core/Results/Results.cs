using Deedle;

namespace Esp;

/// <summary>
/// What a set of runs produced, as Deedle frames (rows keyed 0..n-1, columns named as in results files):
/// <list type="bullet">
/// <item><see cref="Steps"/>: one row per step per run: run, the run's settings, epoch, step (within the
/// epoch, 0-based), global_step, loss (batch loss before the update), lr_t (the scheduled learning rate), then probe columns.</item>
/// <item><see cref="Runs"/>: one row per run: run, settings, status, steps, seconds, final_loss,
/// sawtooth_index, rise_index, amplitude (missing with fewer than 4 complete epochs), message.</item>
/// <item><see cref="Epochs"/>: run, settings, epoch, full_loss (when Probes.EpochEndFullLoss), then the problem's
/// epoch columns (a network's val_loss and val_accuracy).</item>
/// <item><see cref="BatchLosses"/>: run, settings, epoch, batch (1-based), loss (Probes.BatchLossesAtEpochStart).</item>
/// </list>
/// </summary>
public sealed class Results
{
    // Frames are built on first use: a sweep that reads only Runs never pays for a frame of every step.
    readonly Lazy<Frame<int, string>> steps, runs, epochs, batchLosses;

    public IReadOnlyList<RunRecord> RunRecords { get; }
    public Frame<int, string> Steps => steps.Value;
    public Frame<int, string> Runs => runs.Value;
    public Frame<int, string> Epochs => epochs.Value;
    public Frame<int, string> BatchLosses => batchLosses.Value;

    /// <summary>The loss-spike rule the runs are judged by (the script's Spikes): with one, <see cref="Runs"/> and
    /// runs.csv hold loss_spikes and spike_score. Null: no spike columns.</summary>
    public SpikeRule? SpikeRule { get; }

    public Results(IReadOnlyList<RunRecord> records, SpikeRule? spikeRule = null)
    {
        RunRecords = records;
        SpikeRule = spikeRule;
        steps = new(() => Build(records, r => r.StepsTaken, r => StepValues(r)).ToFrame());
        runs = new(() => RunsTable(spikeRule, spikeRule is null ? null : Detect(records, spikeRule, "loss")).ToFrame());
        epochs = new(() => EpochsTable().ToFrame());
        batchLosses = new(() => BatchLossesTable().ToFrame());
    }

    /// <summary>The runs that <paramref name="keep"/> selects, judged by the same spike rule.</summary>
    public Results Where(Func<RunRecord, bool> keep) => new(RunRecords.Where(keep).ToList(), SpikeRule);

    /// <summary>runs.csv; with <paramref name="spikes"/> (each run's loss spikes by <paramref name="rule"/>) also loss_spikes and spike_score.</summary>
    Table RunsTable(SpikeRule? rule = null, IReadOnlyDictionary<RunRecord, IReadOnlyList<Spike>>? spikes = null) =>
        Build(RunRecords, _ => 1, r => RunSummary(r, rule is null || spikes is null ? [] : SpikeColumns(rule, r, spikes[r])));

    static IEnumerable<(string, Func<int, object?>)> SpikeColumns(SpikeRule rule, RunRecord r, IReadOnlyList<Spike> found) =>
        [("loss_spikes", _ => found.Count), ("spike_score", _ => rule.Score(found.Count, r.StepsTaken))];

    /// <summary>Every run's spikes in <paramref name="column"/>, detected once (the tables read them twice).</summary>
    static IReadOnlyDictionary<RunRecord, IReadOnlyList<Spike>> Detect(IReadOnlyList<RunRecord> runs, SpikeRule rule, string column) =>
        runs.ToDictionary(r => r, r => rule.Detect(r.Column(column)), ReferenceEqualityComparer.Instance as IEqualityComparer<RunRecord>);

    static Table SpikesTable(IReadOnlyList<RunRecord> runs, IReadOnlyDictionary<RunRecord, IReadOnlyList<Spike>> spikes) => Build(runs, r => spikes[r].Count, r =>
    {
        var found = spikes[r];
        int s = r.Description.StepsPerEpoch;
        return [("global_step", i => found[i].Step), ("epoch", i => found[i].Step / s), ("step", i => found[i].Step % s),
                ("height", i => found[i].Height), ("score", i => found[i].Score), ("recovery", i => found[i].Recovery)];
    });

    /// <summary>Every spike of every run in <paramref name="column"/> (the batch loss by default, or e.g. grad_norm) by
    /// <paramref name="rule"/>: run, settings, global_step, epoch, step, height (value over the window's mean), score,
    /// recovery (steps until back within the band; missing when it never came back).</summary>
    public Frame<int, string> Spikes(SpikeRule rule, string column = "loss")
    {
        RequireStepColumn(column);
        var having = RunRecords.Where(r => r.StepColumnNames.Contains(column)).ToList(); // runs read from logs need not share tags
        return SpikesTable(having, Detect(having, rule, column)).ToFrame();
    }

    /// <summary>Refuses a per-step column that no run recorded, naming the ones there are (the frames and figures of a
    /// column leave out the runs without it).</summary>
    internal void RequireStepColumn(string column)
    {
        if (RunRecords.Count > 0 && !RunRecords.Any(r => r.StepColumnNames.Contains(column)))
            throw new ArgumentException($"no run recorded a per-step column \"{column}\"; steps.csv has: " +
                string.Join(", ", RunRecords.SelectMany(r => r.StepColumnNames).Distinct()) + ". A probe's column needs it in Experiment.Probes");
    }

    Table EpochsTable() => Build(RunRecords, r => r.EpochColumns.Count == 0 ? 0 : r.EpochColumns.Min(c => c.Length), r =>
        r.EpochColumnNames.Select((name, k) => (name, (Func<int, object?>)(i => r.EpochColumns[k][i]))).Prepend(("epoch", i => i)));

    Table BatchLossesTable() => Build(RunRecords, r => r.BatchLosses.Count, r =>
        [("epoch", i => r.BatchLosses[i].Epoch), ("batch", i => r.BatchLosses[i].Batch), ("loss", i => r.BatchLosses[i].Loss)]);

    /// <summary>The runs that diverged (status "diverged"), with their messages.</summary>
    public IEnumerable<RunRecord> Diverged => RunRecords.Where(r => r.Status == RunStatus.Diverged);

    /// <summary>The runs whose loss exploded but stayed finite (status "exploded"), with their messages.</summary>
    public IEnumerable<RunRecord> Exploded => RunRecords.Where(r => r.Status == RunStatus.Exploded);

    /// <summary>The ESP metrics of the <paramref name="index"/>-th run here; throws if it has fewer than 4 complete epochs.</summary>
    public EspMetrics Metrics(int index) =>
        EspMetrics.Of(RunRecords[index].Losses, RunRecords[index].Description.StepsPerEpoch);

    /// <summary>
    /// <paramref name="column"/> averaged over windows of <paramref name="every"/> steps, per run (the paper's
    /// plot_every): run, settings, window, global_step (the window's first step), epoch (fractional), value.
    /// </summary>
    public Frame<int, string> PlotEvery(int every, string column = "loss")
    {
        RequireStepColumn(column);
        return Build(RunRecords.Where(r => r.StepColumnNames.Contains(column)).ToList(), r => (r.StepsTaken + every - 1) / every, r =>
        {
            var means = Smoothing.PlotEvery(r.Column(column), every);
            double s = r.Description.StepsPerEpoch;
            return [("window", i => i), ("global_step", i => i * every), ("epoch", i => i * every / s), (column, i => means[i])];
        }).ToFrame();
    }

    /// <summary>
    /// Writes steps.csv and runs.csv, plus epochs.csv and batch_losses.csv when recorded, into
    /// <paramref name="folder"/>, each file atomically, and with a <see cref="SpikeRule"/> spikes.csv. steps.csv is written row by row from the runs' arrays
    /// (<paramref name="stepRowsWritten"/> hears every 100 000 rows), never as a frame.
    /// </summary>
    public void Save(string folder, Action<long>? stepRowsWritten = null)
    {
        var spikes = SpikeRule;
        StepsCsv.Save(RunRecords, Path.Combine(folder, "steps.csv"), stepRowsWritten);
        // the tables are written without building Deedle frames, which a short script would wait for
        var found = spikes is null ? null : Detect(RunRecords, spikes, "loss");
        Csv.Save(RunsTable(spikes, found), Path.Combine(folder, "runs.csv"));
        if (found is not null) Csv.Save(SpikesTable(RunRecords, found), Path.Combine(folder, "spikes.csv"));
        if (RunRecords.Any(r => r.EpochColumns.Count > 0 && r.EpochColumns.Min(c => c.Length) > 0))
            Csv.Save(EpochsTable(), Path.Combine(folder, "epochs.csv"));
        if (RunRecords.Any(r => r.BatchLosses.Count > 0)) Csv.Save(BatchLossesTable(), Path.Combine(folder, "batch_losses.csv"));
    }

    /// <summary>The runs.csv values of the <paramref name="index"/>-th run (metrics, steps, status...) by column, without a frame.</summary>
    public IReadOnlyDictionary<string, object?> RunValues(int index)
    {
        var r = RunRecords[index];
        var spikes = SpikeRule is { } rule ? SpikeColumns(rule, r, rule.Detect(r.Losses)) : [];
        return RunSummary(r, spikes).ToDictionary(c => c.Item1, c => c.Item2(0));
    }

    static IEnumerable<(string, Func<int, object?>)> StepValues(RunRecord r)
    {
        int s = r.Description.StepsPerEpoch;
        IEnumerable<(string, Func<int, object?>)> position =
            [("epoch", i => i / s), ("step", i => i % s), ("global_step", i => i)];
        return position.Concat(r.StepColumnNames.Select((name, k) =>
            (name, (Func<int, object?>)(i => r.StepColumns[k][i]))));
    }

    static IEnumerable<(string, Func<int, object?>)> RunSummary(RunRecord r, IEnumerable<(string, Func<int, object?>)> spikeColumns)
    {
        int s = r.Description.StepsPerEpoch;
        var losses = r.Losses;
        var metrics = r.Status != RunStatus.Diverged && EspMetrics.WhyNot(losses.Length, s) is null
            ? EspMetrics.Of(losses, s) : null;
        return [
            ("status", _ => r.Status.ToString().ToLowerInvariant()),
            ("steps", _ => r.StepsTaken),
            ("seconds", _ => r.Seconds),
            ("final_loss", _ => losses.Length > 0 ? EspMetrics.FinalLoss(losses, s) : double.NaN),
            ("sawtooth_index", _ => metrics?.SawtoothIndex ?? double.NaN),
            ("rise_index", _ => metrics?.RiseIndex ?? double.NaN),
            ("amplitude", _ => metrics?.Amplitude ?? double.NaN),
            .. spikeColumns,
            ("message", _ => r.Message)];
    }

    /// <summary>One frame over all runs: the run index and its settings, then the given per-row columns.</summary>
    static Table Build(IReadOnlyList<RunRecord> runs, Func<RunRecord, int> rows,
        Func<RunRecord, IEnumerable<(string, Func<int, object?>)>> columns)
    {
        var table = new Table();
        table.Declare(ColumnOrder.Settings(runs).Prepend("run")); // settings first and together, whatever the runs' order
        foreach (var r in runs)
        {
            IEnumerable<(string, Func<int, object?>)> identity = [("run", _ => r.Run)];
            var settings = r.Description.Settings().Select(kv => (kv.Column, (Func<int, object?>)(_ => kv.Value)));
            table.AddRows(rows(r), identity.Concat(settings).Concat(columns(r)));
        }
        return table;
    }
}
