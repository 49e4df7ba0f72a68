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

        // CPU tensor batches (networks, BERT) run side by side, each on a fixed number of libtorch intra-op threads:
        // float32 reductions split their sums by thread, so a run's numbers may depend on its thread count and must not
        // depend on how many other runs share the machine, the shard it lands in, or the machine's cores.
        var onCpu = batches.Where(b => b.Backend == Backend.Tensors && grid[b.Indices[0]].Device == "cpu").ToList();
        RunOnCpuThreads(onCpu);
        foreach (var batch in batches.Except(onCpu))
        {
            var runs = batch.Indices.Select(i => (Number(i), grid[i])).ToList();
            if (batch.Backend == Backend.Fused)
                FusedBatch.Execute(runs, batch.Parallel, Log, cancel, EpochDone, (k, record) => Done(batch.Indices[k], record), options);
            else
                foreach (var (record, k) in TensorBatch.Execute(runs, Log, cancel, options, EpochDone).Select((r, k) => (r, k)))
                    Done(batch.Indices[k], record);
        }
        return new Results(records);

        // As many batches at once as the cores allow at IntraOpThreads each, and as fit in the memory budget together.
        void RunOnCpuThreads(IReadOnlyList<RunBatch> cpu)
        {
            if (cpu.Count == 0) return;
            long largest = cpu.Max(b => b.Indices.Sum(i => BatchPlan.MemoryPerRun(grid[i], Backend.Tensors)));
            int workers = (int)Math.Clamp(Math.Min(options.ThreadCount / options.IntraOpThreads, options.Budget / Math.Max(1, largest)), 1, cpu.Count);
            int before = torch.get_num_threads(); // OpenMP's count is per thread: each worker sets its own
            try
            {
                Parallelism.ForEach(cpu.Count, workers, cancel, k =>
                {
                    torch.set_num_threads(options.IntraOpThreads);
                    var batch = cpu[k];
                    var runs = batch.Indices.Select(i => (Number(i), grid[i])).ToList();
                    foreach (var (record, j) in TensorBatch.Execute(runs, Log, cancel, options, EpochDone).Select((r, j) => (r, j)))
                        Done(batch.Indices[j], record);
                });
            }
            finally { torch.set_num_threads(before); }
        }
    }

    public static Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);
}
