using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Esp;

/// <summary>A parallel loop over whole units of work, taken in order, with the exceptions a run throws surfacing as they would from one thread.</summary>
static class Parallelism
{
    public static void ForEach(int count, int threads, CancellationToken cancel, Action<int> body)
    {
        try
        {
            // one index at a time, in order: the engine queues its units so that each kind starts early
            Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, count), EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Any(inner => inner is OperationCanceledException))
        {
            throw new OperationCanceledException(cancel); // every core stopped at its next step
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }
}
