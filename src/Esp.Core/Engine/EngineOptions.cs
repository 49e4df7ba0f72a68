namespace Esp;

/// <summary>Which implementation runs a batch of runs (networks always take the tensor path).</summary>
public enum Backend
{
    /// <summary>Fused for the quadratic problem on the CPU, Tensors on a CUDA device, for networks or for an optimizer without a fused update.</summary>
    Auto,
    /// <summary>Fused SIMD loops in C#, each CPU core taking whole runs (the quadratic problem on the CPU only; the fastest there).</summary>
    Fused,
    /// <summary>One TorchSharp computation over [runs, D] tensors: the GPU path, also runnable on the CPU.</summary>
    Tensors,
}

/// <summary>
/// How the engine schedules a grid. RunsPerBatch caps how many runs share one batch (null: on the tensor path
/// as many as the memory budget allows, on the CPU the whole grid); MemoryBudgetBytes bounds the memory runs
/// hold at once (null: a quarter of the memory this process may use, the machine's or its cgroup's limit, see
/// <see cref="AvailableMemory"/>; it is not read off a GPU, so set it for large grids on one): it sizes tensor batches and caps how many fused runs are in flight; Threads is the
/// number of CPU cores the engine uses (null: all).
/// IntraOpThreads is the number of libtorch threads each run on the CPU tensor path (networks, BERT) computes with;
/// the engine runs Threads / IntraOpThreads such runs side by side. It is a numerical setting, not only a speed one:
/// libtorch splits float32 sums between its threads, so a network's numbers are bitwise reproducible at one value of
/// it, recorded with each run (RunRecord.IntraOpThreads, manifest.json, checkpoints, shard records), and may differ
/// in the last bits at another. The default 1 gives the same numbers on every machine whatever its cores.
/// CheckpointEvery = K saves every batch's whole state (parameters, optimizer state, random streams, what was
/// recorded) after every K epochs and at the end, atomically and checksummed, into CheckpointFolder; with Resume, a
/// batch whose checkpoint is there continues from the newest good one and gives exactly the numbers of an
/// uninterrupted run. Checkpoints change neither a run's path nor its numbers: fused runs keep their own.
/// TensorBoard = DIR also writes each run's per-step columns and settings as TensorBoard event files in DIR/run-NNNN/
/// as the run finishes (<see cref="TensorBoardExport"/>).
/// </summary>
public sealed record EngineOptions(int? RunsPerBatch = null, long? MemoryBudgetBytes = null, int? Threads = null,
    Backend Backend = Backend.Auto, int? CheckpointEvery = null, string? CheckpointFolder = null, bool Resume = false,
    string? TensorBoard = null, int IntraOpThreads = 1)
{
    public static readonly EngineOptions Default = new();

    public long Budget => MemoryBudgetBytes ?? AvailableMemory.Bytes() / 4;

    public int ThreadCount => Threads ?? Environment.ProcessorCount;

    /// <summary>How many CPU units of work run at once when tensor runs are among them (each takes IntraOpThreads cores),
    /// before the memory budget's cap.</summary>
    public int CpuWorkers => Math.Max(1, ThreadCount / IntraOpThreads);

    /// <summary>The backend that runs <paramref name="x"/>.</summary>
    public Backend BackendFor(Experiment x) =>
        Backend != Backend.Auto ? Backend
        : x.Device == "cpu" && FusedRun.Supports(x) ? Backend.Fused : Backend.Tensors;

    public IEnumerable<string> Errors()
    {
        if (RunsPerBatch is < 1)
            yield return $"EngineOptions.RunsPerBatch must be >= 1, got {RunsPerBatch}: use e.g. 64, or null to size batches from the memory budget";
        if (MemoryBudgetBytes is <= 0)
            yield return $"EngineOptions.MemoryBudgetBytes must be > 0, got {MemoryBudgetBytes}: use e.g. 4L << 30 (4 GiB), or null for a quarter of available memory";
        if (!Enum.IsDefined(Backend))
            yield return $"EngineOptions.Backend must be Auto, Fused or Tensors, got {(int)Backend}: use Backend.Auto";
        if (Threads is < 1)
            yield return $"EngineOptions.Threads must be >= 1, got {Threads}: use e.g. {Environment.ProcessorCount} (this machine's cores), or null for all";
        if (CheckpointEvery is < 1)
            yield return $"EngineOptions.CheckpointEvery must be >= 1 epoch, got {CheckpointEvery}: use e.g. 5, or null for no checkpoints";
        if (CheckpointEvery is not null && string.IsNullOrWhiteSpace(CheckpointFolder))
            yield return "EngineOptions.CheckpointFolder must name a folder when CheckpointEvery is set (esp-script sets results/NAME.checkpoints): set it, e.g. \"checkpoints\"";
        if (IntraOpThreads < 1)
            yield return $"EngineOptions.IntraOpThreads must be >= 1, got {IntraOpThreads}: use 1 (the default: the same numbers on any machine) or e.g. 2";
        if (TensorBoard is not null && (TensorBoard.Trim() == "" || File.Exists(TensorBoard)))
            yield return $"EngineOptions.TensorBoard must name a folder for the event files, got \"{TensorBoard}\"{(File.Exists(TensorBoard) ? " (a file)" : "")}: use e.g. \"runs/tb\", or null for none";
        if (Resume && CheckpointEvery is null)
            yield return "EngineOptions.Resume needs checkpoints to resume from, but CheckpointEvery is null: set CheckpointEvery (e.g. 5) in the script";
    }

    /// <summary>Checkpoint errors that depend on the experiment: the optimizer's state must be one Esp can save.</summary>
    internal IEnumerable<string> CheckpointErrors(Experiment x, int index)
    {
        if (CheckpointEvery is not null && !x.Optimizer.Checkpointable)
            yield return $"experiment {index}: EngineOptions.CheckpointEvery needs an optimizer whose state Esp can save (Esp's own), got {x.Optimizer.GetType().Name}: leave CheckpointEvery null for it";
    }
}
