using System.Runtime.ExceptionServices;

namespace Esp;

/// <summary>
/// Runs a batch on the CPU: each core takes whole runs (<see cref="FusedRun"/>), so a run's x, m and v stay in
/// that core's cache for all its steps. A [runs, D] pass per step would instead stream every run's arrays
/// from memory at each step (measured in bench/: see the note in bench/README.md).
/// </summary>
static class FusedBatch
{
    public static void Execute(IReadOnlyList<(int Run, Experiment X)> batch, int threads, Action<string> log,
        CancellationToken cancel, Action<int, RunRecord> done)
    {
        try
        {
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel },
                i => done(i, FusedRun.Execute(batch[i].Run, batch[i].X, log, cancel)));
        }
        catch (AggregateException e) when (e.InnerExceptions.Any(inner => inner is OperationCanceledException))
        {
            throw new OperationCanceledException(cancel); // every core stopped at its next step
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // the exception a run (or a progress callback) threw, as it would surface from a single thread
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
