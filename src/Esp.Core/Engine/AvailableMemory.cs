namespace Esp;

/// <summary>
/// The memory this process may use: the machine's, or less where a cgroup (a container, a Slurm job, systemd) limits
/// it. libtorch's tensors are native memory, so the .NET GC's own limit (a share of the cgroup's, for its heap) is not
/// the one that matters; the cgroup's limit is read directly, the lowest of the process's cgroup and its ancestors
/// (cgroup v2's memory.max, v1's memory.limit_in_bytes).
/// </summary>
static class AvailableMemory
{
    static readonly Lazy<long> bytes = new(() =>
        Math.Min(Physical(), CgroupLimit("/sys/fs/cgroup", File.Exists("/proc/self/cgroup") ? File.ReadAllText("/proc/self/cgroup") : "") ?? long.MaxValue));

    /// <summary>Read once per process: the budget is asked for several times a Run call, and a process keeps its cgroup.</summary>
    public static long Bytes() => bytes.Value;

    static long Physical() =>
        File.Exists("/proc/meminfo") && File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:")) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The lowest memory limit on the cgroups of <paramref name="procSelfCgroup"/> (the text of /proc/self/cgroup)
    /// and their ancestors, under the cgroup file systems mounted at <paramref name="root"/>; null: none.</summary>
    internal static long? CgroupLimit(string root, string procSelfCgroup)
    {
        long? lowest = null;
        foreach (var line in procSelfCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':', 3); // hierarchy-id:controllers:path
            if (fields.Length < 3) continue;
            var limits = fields[0] == "0" && fields[1] == ""
                ? new[] { (Mount: root, File: "memory.max"), (Mount: Path.Combine(root, "unified"), File: "memory.max") }
                : fields[1].Split(',').Contains("memory") ? [(Path.Combine(root, "memory"), "memory.limit_in_bytes")] : [];
            foreach (var (mount, file) in limits)
                foreach (var folder in SelfAndAncestors(mount, fields[2]))
                    if (Read(Path.Combine(folder, file)) is long limit && (lowest is null || limit < lowest)) lowest = limit;
        }
        return lowest;
    }

    /// <summary>The cgroup's folder and its ancestors' up to the mount (a container may mount its own cgroup as the root).</summary>
    static IEnumerable<string> SelfAndAncestors(string mount, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int k = parts.Length; k >= 0; k--) yield return Path.Combine([mount, .. parts.Take(k)]);
    }

    /// <summary>A limit file's bytes; null where it is missing, says "max" or holds v1's "no limit" (about 2^63).</summary>
    static long? Read(string file)
    {
        if (!File.Exists(file)) return null;
        var text = File.ReadAllText(file).Trim();
        return long.TryParse(text, out long bytes) && bytes < long.MaxValue / 2 ? bytes : null;
    }
}
