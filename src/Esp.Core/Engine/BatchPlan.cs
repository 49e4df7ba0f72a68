namespace Esp;

/// <summary>A batch of runs and the backend that runs them (Indices point into the grid).</summary>
sealed record RunBatch(Backend Backend, IReadOnlyList<int> Indices);

/// <summary>
/// Splits a grid into batches. Runs share a tensor batch when they share what a single computation needs
/// (device, the problem's batch key, epochs, batch size, drop-last, optimizer kernel and probes; networks
/// run one per batch); anything else runs
/// in another batch, without the user having to know. Every run can share a fused (CPU) batch. Tensor batches
/// are capped by EngineOptions.RunsPerBatch and by the memory budget (a request that cannot fit is an error
/// before any compute); fused batches by RunsPerBatch, and the budget caps how many CPU units are in flight (<see cref="CpuWorkers"/>).
/// </summary>
static class BatchPlan
{
    public static IReadOnlyList<RunBatch> Make(IReadOnlyList<Experiment> grid, EngineOptions options)
    {
        var errors = options.Errors().Concat(grid.SelectMany((x, i) => BackendErrors(x, i, options).Concat(options.CheckpointErrors(x, i)).Concat(BranchErrors(x, i, options)))).ToList();
        if (errors.Count > 0) throw new InvalidExperimentException(errors);

        var batches = new List<RunBatch>();
        var groups = grid.Select((x, i) => (x, i)).GroupBy(e => GroupKey(e.x, e.i, options));
        foreach (var group in groups)
        {
            var backend = options.BackendFor(group.First().x);
            var (bytes, largest) = group.Select(e => (Bytes: MemoryPerRun(e.x, backend), Index: e.i)).MaxBy(e => e.Bytes);
            int fits = RunsThatFit(bytes, largest, grid[largest], backend, options);
            // A tensor batch holds all of its runs at once, so the budget bounds its size; a fused batch holds one
            // run per worker in flight, so the budget bounds the workers (CpuWorkers).
            int size = backend == Backend.Tensors ? TensorBatchSize(fits, bytes, largest, options) : options.RunsPerBatch ?? int.MaxValue;
            batches.AddRange(group.Select(e => e.i).Chunk(size).Select(indices => new RunBatch(backend, indices)));
        }
        return batches;
    }

    /// <summary>How many CPU units of work (a fused run, or a tensor batch) run at once: as many as the cores allow (a
    /// tensor unit takes IntraOpThreads of them) and the memory budget holds, counting each as the largest.</summary>
    public static int CpuWorkers(IReadOnlyList<(bool Fused, IReadOnlyList<Experiment> Runs)> units, EngineOptions options)
    {
        long largest = units.Max(u => u.Runs.Sum(x => MemoryPerRun(x, u.Fused ? Backend.Fused : Backend.Tensors)));
        int cores = units.Any(u => !u.Fused) ? options.CpuWorkers : options.ThreadCount;
        return (int)Math.Clamp(Math.Min(cores, options.Budget / Math.Max(1, largest)), 1, units.Count);
    }

    /// <summary>
    /// Approximate bytes one run holds while it runs. Fused: its coefficients, sample order, x, gradients and
    /// up to three moment arrays, and its recorded columns. Tensors: what the problem holds on the device
    /// (<see cref="Problem.TensorBytesPerRun"/>), the epoch's value buffer (device and two host copies) and the
    /// recorded columns.
    /// </summary>
    public static long MemoryPerRun(Experiment x, Backend backend)
    {
        long columns = StepColumns.For(x.Recorded, x.Optimizer, x.Problem).Names.Count, recorded = 8L * columns * x.TotalSteps;
        if (backend == Backend.Tensors) return x.Problem.TensorBytesPerRun(x) + 3 * 8L * columns * x.StepsPerEpoch + recorded;
        long n = x.Problem.Examples, d = x.Problem.Parameters, size = x.Problem.ElementPrecision == Precision.Float64 ? 8 : 4;
        return n * (3 * size + 4 + 8) + 6 * d * size + recorded;
    }

    static int RunsThatFit(long bytesPerRun, int index, Experiment x, Backend backend, EngineOptions options)
    {
        long budget = options.Budget;
        if (bytesPerRun > budget)
            throw new InvalidExperimentException([
                $"experiment {index} needs about {Show(bytesPerRun)} for one run (N = {x.Problem.Examples}, D = {x.Problem.Parameters}, " +
                $"batch {x.BatchSize}, {x.Problem.ElementPrecision.ToString().ToLowerInvariant()}), over the memory budget of {BudgetText(options)}: " +
                (LargestBatchThatFits(x, backend, budget) is int batch and > 0
                    ? $"use BatchSize <= {batch}, raise EngineOptions.MemoryBudgetBytes, or shrink the problem"
                    : "shrink the problem (no batch size fits), or raise EngineOptions.MemoryBudgetBytes")]);
        return (int)Math.Min(int.MaxValue, budget / bytesPerRun);
    }

    /// <summary>The largest batch size below <paramref name="x"/>'s at which one run fits <paramref name="budget"/>, 0 if none
    /// does (a step's activations grow with the batch; the data and theta do not).</summary>
    static int LargestBatchThatFits(Experiment x, Backend backend, long budget)
    {
        int fits = 0, over = x.BatchSize;
        while (over - fits > 1)
        {
            int mid = fits + (over - fits) / 2;
            if (MemoryPerRun(x with { BatchSize = mid }, backend) <= budget) fits = mid;
            else over = mid;
        }
        return fits;
    }

    static int TensorBatchSize(int fits, long bytesPerRun, int index, EngineOptions options)
    {
        if (options.RunsPerBatch is not int asked) return fits;
        if (asked > fits)
            throw new InvalidExperimentException([
                $"EngineOptions.RunsPerBatch = {asked} needs about {Show(asked * bytesPerRun)} ({Show(bytesPerRun)} per run like experiment {index}), " +
                $"over the memory budget of {BudgetText(options)}: use RunsPerBatch <= {fits}, leave it null to size batches from the budget, " +
                "or raise EngineOptions.MemoryBudgetBytes"]);
        return asked;
    }

    static object GroupKey(Experiment x, int index, EngineOptions options) => options.BackendFor(x) == Backend.Fused
        ? Backend.Fused
        : (x.Device, x.From is null ? x.Problem.BatchKey ?? $"run {index} alone" : $"run {index} alone", x.Epochs, x.BatchSize, x.Sampler.DropLast,
           x.Optimizer.Kernel ?? $"run {index} alone", x.Recorded);

    static IEnumerable<string> BranchErrors(Experiment x, int index, EngineOptions options)
    {
        if (x.From is not { } branch) yield break;
        if (options.CheckpointEvery is null)
            yield return $"experiment {index}: Experiment.From needs the parent's checkpoints: set EngineOptions.CheckpointEvery (and run the parent with it first)";
        else if (!File.Exists(ParentCheckpoint(branch, options)))
            yield return $"experiment {index}: Experiment.From: no checkpoint of the parent after epoch {branch.AfterEpoch} in {options.CheckpointFolder}: " +
                $"run the parent first (an earlier Run call) with EngineOptions.CheckpointEvery dividing {branch.AfterEpoch}" +
                (options.BackendFor(branch.Parent) == Backend.Tensors ? ", and alone (a network always is; quadratic runs on the tensor path share a batch unless EngineOptions.RunsPerBatch = 1)" : "");
    }

    /// <summary>The file the parent's state after the branch point is in, on the path the parent ran.</summary>
    static string ParentCheckpoint(Branch branch, EngineOptions options) => options.BackendFor(branch.Parent) == Backend.Fused
        ? new FusedCheckpoint(options.CheckpointFolder!, branch.Parent).PathOf(branch.AfterEpoch)
        : new Checkpoint(options.CheckpointFolder!, [(0, branch.Parent)], 0).PathOf(branch.AfterEpoch);

    static IEnumerable<string> BackendErrors(Experiment x, int index, EngineOptions options)
    {
        if (options.BackendFor(x) != Backend.Fused) yield break;
        if (x.Device != "cpu")
            yield return $"experiment {index}: EngineOptions.Backend = Fused runs on the CPU only, but Experiment.Device is \"{x.Device}\": use Backend.Tensors (or Auto) for a GPU";
        if (x.Recorded.GradientSpikeTheta is not null)
            yield return $"experiment {index}: EngineOptions.Backend = Fused does not record Probes.GradientSpikeTheta: use Backend.Auto or Tensors";
        if (x.Recorded.Extra.Count > 0)
            yield return $"experiment {index}: EngineOptions.Backend = Fused does not run step probes (Probes.Extra): use Backend.Auto or Tensors";
        if (!x.Problem.HasFusedPath)
            yield return $"experiment {index}: EngineOptions.Backend = Fused runs the quadratic problem only, got {x.Problem.GetType().Name}: use Backend.Auto or Tensors";
        else if (!x.Optimizer.HasFusedUpdate)
            yield return $"experiment {index}: EngineOptions.Backend = Fused has no fused update for {x.Optimizer.GetType().Name}: use Backend.Auto or Tensors";
    }

    static string BudgetText(EngineOptions options) => Show(options.Budget) +
        (options.MemoryBudgetBytes is null ? $" (a quarter of the {Show(AvailableMemory.Bytes())} this process may use)" : "");

    static string Show(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB" : $"{bytes / (double)(1L << 20):F1} MiB";
}
