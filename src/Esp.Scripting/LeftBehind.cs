namespace Esp.Scripting;

/// <summary>
/// What an esp-script that was killed (kill -9, a lost machine) leaves beside results: a staging folder NAME.tmp-GUID
/// with partial results, the lock file .NAME.esp-lock, and, if it died in the middle of the swap, the previous results
/// as NAME.old-GUID. The next run that writes in the same folder clears what belongs to no live process (a lock
/// nobody holds) and says what it did: it removes staging folders and locks, and puts previous results back where
/// the swap left none.
/// </summary>
static class LeftBehind
{
    /// <summary>Clears what dead runs left in <paramref name="parent"/>; one line for each thing done. <paramref name="own"/>
    /// is the folder this process has just locked: what was left under its name is a dead run's too.</summary>
    public static IReadOnlyList<string> Clear(string parent, string own)
    {
        bool Dead(string owner) => owner == own || !Held(parent, owner);
        var done = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(dir);
            int tmp = name.LastIndexOf(".tmp-", StringComparison.Ordinal), old = name.LastIndexOf(".old-", StringComparison.Ordinal);
            var owner = tmp > 0 ? name[..tmp] : old > 0 ? name[..old] : null;
            if (owner is null || !Dead(owner)) continue;
            var results = Path.Combine(parent, owner);
            if (old > 0 && !Directory.Exists(results))
            {
                Directory.Move(dir, results);
                done.Add($"put back {results} from {dir}, where an esp-script that no longer runs left it mid-swap");
            }
            else
            {
                Directory.Delete(dir, recursive: true);
                done.Add($"removed {dir}, left by an esp-script that no longer runs");
            }
        }
        foreach (var lockFile in Directory.EnumerateFiles(parent, ".*.esp-lock"))
        {
            var owner = Path.GetFileName(lockFile)[1..^".esp-lock".Length];
            if (owner == own || Held(parent, owner)) continue; // our own lock is live
            File.Delete(lockFile);
            done.Add($"removed the lock {lockFile}, left by an esp-script that no longer runs");
        }
        return done;
    }

    /// <summary>Whether a live process holds the lock of results folder <paramref name="owner"/> (flock: a dead one holds none).</summary>
    static bool Held(string parent, string owner)
    {
        var lockFile = Path.Combine(parent, $".{owner}.esp-lock");
        if (!File.Exists(lockFile)) return false;
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException) { return true; }
    }
}
