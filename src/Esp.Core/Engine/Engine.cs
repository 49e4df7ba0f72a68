namespace Esp;

/// <summary>Runs experiments: validates the whole grid first, then runs it in batches and collects the results.</summary>
public static class Engine
{
    /// <summary>
    /// Runs every experiment. Invalid descriptions or options throw <see cref="InvalidExperimentException"/>
    /// before any compute. Runs are batched (see <see cref="EngineOptions"/>): on the CPU each core takes whole
    /// runs with fused SIMD loops, on a GPU runs that share sizes step together as [runs, D] tensors; a run's
    /// numbers are the same alone or in a batch. A run whose loss becomes NaN or Inf stops there, is marked
    /// "diverged" and its message is written to <paramref name="log"/> (stderr by default); the other runs go
    /// on. <paramref name="onRunDone"/> is called as each run finishes (one call at a time, in finishing order).
    /// Runs are numbered from <paramref name="firstRun"/> in the grid's order, and results keep that order.
    /// Cancelling <paramref name="cancel"/> stops every run within a step and throws OperationCanceledException.
    /// </summary>
    public static Results Run(IEnumerable<Experiment> experiments, TextWriter? log = null,
        Action<RunRecord>? onRunDone = null, int firstRun = 0, EngineOptions? options = null,
        CancellationToken cancel = default)
    {
        var grid = experiments.ToList();
        options ??= EngineOptions.Default;
        Experiment.ValidateAll(grid);
        var batches = BatchPlan.Make(grid, options);

        var records = new RunRecord[grid.Count];
        var gate = new object();
        var writer = log ?? Console.Error;
        void Log(string message) { lock (gate) writer.WriteLine(message); }
        void Done(int index, RunRecord record)
        {
            records[index] = record;
            lock (gate) onRunDone?.Invoke(record);
        }

        foreach (var batch in batches)
        {
            var runs = batch.Indices.Select(i => (firstRun + i, grid[i])).ToList();
            if (batch.Backend == Backend.Fused)
                FusedBatch.Execute(runs, batch.Parallel, Log, cancel, (k, record) => Done(batch.Indices[k], record));
            else
                foreach (var (record, k) in TensorBatch.Execute(runs, Log, cancel).Select((r, k) => (r, k)))
                    Done(batch.Indices[k], record);
        }
        return new Results(records);
    }

    public static Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);
}
