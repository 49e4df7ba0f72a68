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
    /// "diverged" and its message is written to <paramref name="log"/> (and kept in its record; null: nowhere); the other runs go
    /// on. <paramref name="onRunDone"/> is called as each run finishes (one call at a time, in finishing order).
    /// Runs are numbered from <paramref name="firstRun"/> in the grid's order, or by <paramref name="numbers"/> when
    /// given (a shard's slice of a larger grid keeps the whole grid's numbers), and results keep the grid's order.
    /// Cancelling <paramref name="cancel"/> stops every run within a step and throws OperationCanceledException.
    /// <paramref name="onSteps"/> hears the steps runs take, every few steps within epochs (one call at a time), for
    /// progress within long runs.
    /// </summary>
    public static Results Run(IEnumerable<Experiment> experiments, TextWriter? log = null,
        Action<RunRecord>? onRunDone = null, int firstRun = 0, EngineOptions? options = null,
        CancellationToken cancel = default, Action<StepsDone>? onSteps = null, IReadOnlyList<int>? numbers = null)
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
        var writer = log ?? TextWriter.Null; // the core prints nothing of its own: a caller that wants the lines passes a writer
        void Log(string message) { lock (gate) writer.WriteLine(message); }
        void Steps(StepsDone steps) { lock (gate) onSteps?.Invoke(steps); }
        void Done(int index, RunRecord record)
        {
            if (record.Status == RunStatus.Exploded) Log(record.Message);
            if (options.TensorBoard is string board) TensorBoardExport.Write(board, record);
            records[index] = record;
            lock (gate) onRunDone?.Invoke(record);
        }

        // On the CPU every core takes whole units of work: a fused run, or a tensor batch (a network, BERT) on a fixed
        // number of libtorch intra-op threads (float32 sums split by thread, so a network's numbers may depend on its
        // thread count, and must not depend on what else shares the machine, the shard it lands in or the cores).
        // Kinds take turns at the head of the queue, so each is running, and timed for progress, from the start.
        var onCpu = batches.Where(b => b.Backend == Backend.Fused || grid[b.Indices[0]].Device == "cpu").ToList();
        RunOnCores(onCpu);
        foreach (var batch in batches.Except(onCpu)) // a GPU takes one batch at a time
            foreach (var (record, k) in TensorBatch.Execute(batch.Indices.Select(i => (Number(i), grid[i])).ToList(), Log, cancel, options, Steps)
                         .Select((r, k) => (r, k)))
                Done(batch.Indices[k], record);
        return new Results(records);

        void RunOnCores(IReadOnlyList<RunBatch> cpu)
        {
            var units = cpu.SelectMany(b => b.Backend == Backend.Fused ? b.Indices.Select(i => (Fused: true, Indices: (IReadOnlyList<int>)[i])) : [(false, b.Indices)])
                .GroupBy(u => Shard.KindOf(grid[u.Indices[0]]))
                .SelectMany(kind => kind.OrderByDescending(u => u.Indices.Sum(i => Shard.Cost(grid[i]))).Select((u, rank) => (u, rank)))
                .OrderBy(e => e.rank).Select(e => e.u).ToList(); // the costliest of each kind first, kinds in turn
            if (units.Count == 0) return;
            bool tensors = units.Any(u => !u.Fused);
            int workers = BatchPlan.CpuWorkers(units.Select(u => (u.Fused, (IReadOnlyList<Experiment>)u.Indices.Select(i => grid[i]).ToList())).ToList(), options);
            int before = tensors ? torch.get_num_threads() : 0; // OpenMP's count is per thread: each worker sets its own (fused-only grids never load libtorch)
            try
            {
                Parallelism.ForEach(units.Count, workers, cancel, k =>
                {
                    var (fused, indices) = units[k];
                    if (fused)
                    {
                        Done(indices[0], FusedRun.Execute(Number(indices[0]), grid[indices[0]], Log, cancel, Steps, options));
                        return;
                    }
                    torch.set_num_threads(options.IntraOpThreads);
                    foreach (var (record, j) in TensorBatch.Execute(indices.Select(i => (Number(i), grid[i])).ToList(), Log, cancel, options, Steps)
                                 .Select((r, j) => (r, j)))
                        Done(indices[j], record);
                });
            }
            finally { if (tensors) torch.set_num_threads(before); }
        }
    }

    /// <summary>About how many bytes one run of <paramref name="x"/> holds at its peak on the path <paramref name="options"/>
    /// give it: its data, parameters and optimizer state, a step's activations or an evaluation chunk's, and its recorded
    /// columns. The memory budget is checked against it before any compute.</summary>
    public static long MemoryPerRun(Experiment x, EngineOptions? options = null) =>
        BatchPlan.MemoryPerRun(x, (options ?? EngineOptions.Default).BackendFor(x));

    public static Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);
}
