using TorchSharp;

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
    /// Runs are numbered from <paramref name="firstRun"/> in the grid's order, or by <paramref name="numbers"/> when
    /// given (a shard's slice of a larger grid keeps the whole grid's numbers), and results keep the grid's order.
    /// Cancelling <paramref name="cancel"/> stops every run within a step and throws OperationCanceledException.
    /// <paramref name="onEpochDone"/> hears the steps of every epoch a run completes (one call at a time), for progress
    /// within long runs.
    /// </summary>
    public static Results Run(IEnumerable<Experiment> experiments, TextWriter? log = null,
        Action<RunRecord>? onRunDone = null, int firstRun = 0, EngineOptions? options = null,
        CancellationToken cancel = default, Action<int>? onEpochDone = null, IReadOnlyList<int>? numbers = null)
    {
        var grid = experiments.ToList();
        options ??= EngineOptions.Default;
        Experiment.ValidateAll(grid);
        if (numbers is not null && numbers.Count != grid.Count)
            throw new ArgumentException($"numbers has {numbers.Count} run numbers for a grid of {grid.Count} runs: give one per run");
        int Number(int i) => numbers?[i] ?? firstRun + i;
        var batches = BatchPlan.Make(grid, options);

        var records = new RunRecord[grid.Count];
        var gate = new object();
        var writer = log ?? Console.Error;
        void Log(string message) { lock (gate) writer.WriteLine(message); }
        void EpochDone(int steps) { lock (gate) onEpochDone?.Invoke(steps); }
        void Done(int index, RunRecord record)
        {
            if (record.Status == RunStatus.Exploded) Log(record.Message);
            if (options.TensorBoard is string board) TensorBoardExport.Write(board, record);
            records[index] = record;
            lock (gate) onRunDone?.Invoke(record);
        }

        // Small single-run CPU tensor batches (small networks) run side by side, one core each: their steps are too
        // small for libtorch's intra-op threads to pay off (an 8-run grid of a 5 700-parameter MLP at batch 32: 1.9x
        // the runs per second of one at a time on 2 cores), while a large step uses the cores itself (the 235 000-
        // parameter Fashion-MNIST MLP at batch 128: 0.8x to 1.0x side by side). Parameters x batch size is the proxy.
        const long SmallStep = 1 << 22;
        bool Alone(RunBatch b) => b.Backend == Backend.Tensors && b.Indices.Count == 1 && grid[b.Indices[0]] is var x
            && x.Device == "cpu" && (long)x.Problem.Parameters * x.BatchSize < SmallStep;
        var alone = batches.Where(Alone).ToList();
        int threads = Math.Min(options.ThreadCount, alone.Count);
        if (threads > 1) RunSideBySide(alone, threads);
        var rest = threads > 1 ? batches.Where(b => !Alone(b)) : batches;

        foreach (var batch in rest)
        {
            var runs = batch.Indices.Select(i => (Number(i), grid[i])).ToList();
            if (batch.Backend == Backend.Fused)
                FusedBatch.Execute(runs, batch.Parallel, Log, cancel, EpochDone, (k, record) => Done(batch.Indices[k], record));
            else
                foreach (var (record, k) in TensorBatch.Execute(runs, Log, cancel, options, EpochDone).Select((r, k) => (r, k)))
                    Done(batch.Indices[k], record);
        }
        return new Results(records);

        void RunSideBySide(IReadOnlyList<RunBatch> single, int threads)
        {
            int before = torch.get_num_threads(); // read once: workers set 1 for themselves (OpenMP's count is per thread)
            try
            {
                Parallelism.ForEach(single.Count, threads, cancel, k =>
                {
                    int i = single[k].Indices[0];
                    torch.set_num_threads(1);
                    Done(i, TensorBatch.Execute([(Number(i), grid[i])], Log, cancel, options, EpochDone)[0]);
                });
            }
            finally { torch.set_num_threads(before); }
        }
    }

    public static Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);
}
