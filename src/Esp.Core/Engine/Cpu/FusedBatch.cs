namespace Esp;

/// <summary>
/// Runs a batch on the CPU: each core takes whole runs (<see cref="FusedRun"/>), so a run's x, m and v stay in
/// that core's cache for all its steps. A [runs, D] pass per step would instead stream every run's arrays
/// from memory at each step (measured in bench/: see the note in bench/README.md).
/// </summary>
static class FusedBatch
{
    public static void Execute(IReadOnlyList<(int Run, Experiment X)> batch, int threads, Action<string> log,
        CancellationToken cancel, Action<int> epochDone, Action<int, RunRecord> done, EngineOptions options) =>
        Parallelism.ForEach(batch.Count, threads, cancel, i => done(i, FusedRun.Execute(batch[i].Run, batch[i].X, log, cancel, epochDone, options)));
}
