using System.Runtime.ExceptionServices;

namespace Esp;

/// <summary>Parallel.For over whole runs, with the exceptions a run throws surfacing as they would from one thread.</summary>
static class Parallelism
{
    public static void ForEach(int count, int threads, CancellationToken cancel, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, body);
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
