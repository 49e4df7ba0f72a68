namespace Esp;

/// <summary>
/// The <see cref="Index"/>-th (0-based) of <see cref="Count"/> slices of every grid, for running one sweep as
/// several processes (Slurm job array tasks, Kubernetes Indexed Job pods). A slice depends only on the grid, so every
/// process of an unchanged script cuts the same grid the same way, and the slices together hold each run exactly once.
/// Slices are balanced by each run's expected cost (steps x <see cref="Problem.StepCost"/>), not by count: a grid of
/// long and short runs gives every shard about the same work.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public IEnumerable<string> Errors()
    {
        if (Count < 1) yield return $"the shard count must be >= 1, got {Count}: use e.g. 8 (one per node)";
        else if (Index < 0 || Index >= Count)
            yield return $"the shard index must be in [0, {Count}) (0-based), got {Index}: use 0 to {Count - 1}";
    }

    /// <summary>The folder name of this shard's results: "i-of-n".</summary>
    public string Name => $"{Index}-of-{Count}";

    /// <summary>The expected cost of a run: its steps times the cost of a step.</summary>
    public static double Cost(Experiment x) => x.TotalSteps * StepCost(x);

    /// <summary>The cost model's cost of one of the run's steps.</summary>
    public static double StepCost(Experiment x) => x.Problem.StepCost(x.BatchSize);

    /// <summary>What runs of one kind share, so that they take about the same time per unit of cost: their problem's type,
    /// the cost of a step and the device (a fused quadratic step and a network's differ by orders of magnitude in time
    /// per cost unit, and so do an MLP's and a LeNet's of one size).</summary>
    public static string KindOf(Experiment x) => $"{x.Problem.GetType().Name} of {StepCost(x):G3} a step on {x.Device}";

    /// <summary>The positions in <paramref name="grid"/> of the runs this shard runs, ascending.</summary>
    public IReadOnlyList<int> Slice(IReadOnlyList<Experiment> grid)
    {
        var owner = Assign(grid.Select(Cost).ToList(), Count);
        return Enumerable.Range(0, grid.Count).Where(i => owner[i] == Index).ToList();
    }

    /// <summary>
    /// The shard of each run: the costliest run first (ties: the earlier run), each to the shard with the least work so
    /// far (ties: the lower index). This greedy rule keeps the largest shard within one run's cost of the smallest.
    /// </summary>
    public static int[] Assign(IReadOnlyList<double> costs, int count)
    {
        var owner = new int[costs.Count];
        var load = new PriorityQueue<int, (double Load, int Shard)>();
        for (int s = 0; s < count; s++) load.Enqueue(s, (0, s));
        foreach (int i in Enumerable.Range(0, costs.Count).OrderByDescending(i => costs[i]).ThenBy(i => i))
        {
            load.TryDequeue(out int shard, out var work);
            owner[i] = shard;
            load.Enqueue(shard, (work.Load + costs[i], shard));
        }
        return owner;
    }
}
