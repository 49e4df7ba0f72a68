using System.Globalization;

namespace Esp.Scripting;

/// <summary>
/// Which shard this process runs, and where that came from (the manifest records it): <c>--shard i/n</c>; else a
/// Slurm job array task (<c>SLURM_ARRAY_TASK_ID</c> minus <c>SLURM_ARRAY_TASK_MIN</c>, and <c>SLURM_ARRAY_TASK_COUNT</c>); else a Kubernetes Indexed
/// Job pod (<c>JOB_COMPLETION_INDEX</c>, with the count from <c>--shards n</c>). None of them: the whole grid.
/// </summary>
public sealed record ShardSource(Shard Shard, string Source)
{
    public const string SlurmIndex = "SLURM_ARRAY_TASK_ID", SlurmMin = "SLURM_ARRAY_TASK_MIN", SlurmCount = "SLURM_ARRAY_TASK_COUNT",
        KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>The shard from the options and <paramref name="environment"/>, none, or the error to print.</summary>
    public static (ShardSource? Shard, string? Error) Resolve(string? shardOption, string? shardsOption, Func<string, string?> environment)
    {
        int? count = null;
        if (shardsOption is not null)
        {
            if (!int.TryParse(shardsOption, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                return (null, $"--shards needs the number of shards, a positive integer, got \"{shardsOption}\": e.g. --shards 8");
            count = n;
        }
        if (shardOption is not null)
        {
            if (count is not null)
                return (null, $"--shard {shardOption} already gives the count; --shards {count} is for JOB_COMPLETION_INDEX: give one of them");
            var parts = shardOption.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int of))
                return (null, $"--shard needs i/n (the 0-based shard index and the shard count), got \"{shardOption}\": e.g. --shard 0/4 ... --shard 3/4");
            return Checked(new Shard(i, of), $"--shard {shardOption}", $"--shard {shardOption}");
        }
        if (environment(SlurmIndex) is { Length: > 0 } slurmIndex)
        {
            var slurmCount = environment(SlurmCount);
            if (!int.TryParse(slurmIndex, NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                || !int.TryParse(slurmCount, NumberStyles.None, CultureInfo.InvariantCulture, out int of))
                return (null, $"{SlurmIndex}={slurmIndex} and {SlurmCount}={slurmCount} must both be non-negative integers (a Slurm job array task sets them): " +
                    $"submit with sbatch --array=0-N, or unset {SlurmIndex} to run the whole grid");
            if (count is not null && count != of)
                return (null, $"--shards {count} contradicts {SlurmCount}={of}: leave --shards out under Slurm");
            // an array need not start at 0 (--array=5-7): the shard is the task's place in it
            var slurmMin = environment(SlurmMin);
            int min = 0;
            if (slurmMin is { Length: > 0 } && !int.TryParse(slurmMin, NumberStyles.None, CultureInfo.InvariantCulture, out min))
                return (null, $"{SlurmMin} must be a non-negative integer, got \"{slurmMin}\" (Slurm sets it to the array's first task id)");
            var source = min == 0 ? $"{SlurmIndex}={i}, {SlurmCount}={of}" : $"{SlurmIndex}={i}, {SlurmMin}={min}, {SlurmCount}={of}";
            return Checked(new Shard(i - min, of), source,
                $"{source}; submit the array as --array=0-{of - 1} (consecutive task ids, no step)");
        }
        if (environment(KubernetesIndex) is { Length: > 0 } podIndex)
        {
            if (count is null)
                return (null, $"{KubernetesIndex}={podIndex} is set (a Kubernetes Indexed Job) but not the shard count: add --shards N, N being the Job's completions");
            if (!int.TryParse(podIndex, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                return (null, $"{KubernetesIndex} must be a non-negative integer, got \"{podIndex}\"");
            return Checked(new Shard(i, count.Value), $"{KubernetesIndex}={i}, --shards {count}",
                $"{KubernetesIndex}={i} with --shards {count}; set --shards to the Job's completions");
        }
        if (count is not null)
            return (null, $"--shards {count} needs the shard index: give --shard i/{count} instead, or run as a Kubernetes Indexed Job ({KubernetesIndex}) or a Slurm job array");
        return (null, null);
    }

    static (ShardSource?, string?) Checked(Shard shard, string source, string given) =>
        shard.Errors().FirstOrDefault() is string error ? (null, $"{given}: {error}") : (new ShardSource(shard, source), null);
}
