using System.Text.Json;

namespace Esp.Scripting;

/// <summary>
/// The folder a script's results replace, checked before anything compiles or runs. Results replace a folder
/// whole, so Esp writes only into a new or empty folder or one it wrote itself (its manifest.json lists every
/// file there and nothing else is in it). It refuses the current directory, its ancestors, a repository root, a
/// home directory, a mount point, a symbolic link and a file, naming the path and the fix. While a script runs,
/// a lock file beside the folder makes a second script writing the same folder refuse instead of racing it.
/// </summary>
public sealed class ResultsFolder : IDisposable
{
    /// <summary>The manifest field that marks a folder as Esp's and lists what may be replaced.</summary>
    public const string WrittenBy = "esp-script", ManifestFile = "manifest.json";

    readonly FileStream lockFile;
    readonly string? createdParent;

    ResultsFolder(string path, FileStream lockFile, string? createdParent, IReadOnlyList<string> cleared) =>
        (Path, this.lockFile, this.createdParent, Cleared) = (path, lockFile, createdParent, cleared);

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>What dead runs had left beside the folder and was cleared when it was claimed (<see cref="LeftBehind"/>).</summary>
    public IReadOnlyList<string> Cleared { get; }

    /// <summary>
    /// Checks <paramref name="folder"/> (as given on the command line) and takes its lock, or returns why not.
    /// Nothing is written when it refuses; on success only the (hidden) lock file exists beside the folder.
    /// </summary>
    public static (ResultsFolder? Folder, string? Refusal) Claim(string folder, string workingDirectory)
    {
        var full = Normalize(System.IO.Path.GetFullPath(folder, workingDirectory));
        if (Refusal(folder, full, Normalize(workingDirectory)) is string why) return (null, why);
        if (LockedAncestor(full) is string locked)
            return (null, $"--out {folder}: {full} is inside {locked}, which another esp-script is writing now (its results will replace " +
                "that folder whole): wait for it to finish, or give this run a folder outside it");
        var parent = System.IO.Path.GetDirectoryName(full)!;
        var created = Directory.Exists(parent) ? null : parent;
        // Everything a run will do to the folder, tried now, so that a folder that cannot be written is found before
        // anything compiles or runs, with the system's own reason.
        if (WriteProbe(parent, full) is string cause)
            return (null, $"--out {folder}: cannot write {full}: {cause} (a read-only file system, a folder owned by another " +
                "user, or an immutable one: lsattr -d shows an i): choose a folder you can write to");
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second esp-script fails here.
            stream = new FileStream(System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(full)}.esp-lock"), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            return (null, $"--out {folder}: another esp-script is writing {full} now ({e.Message.TrimEnd('.')}): " +
                "wait for it to finish, or give this run another --out");
        }
        return (new ResultsFolder(full, stream, created, LeftBehind.Clear(parent, System.IO.Path.GetFileName(full))), null);
    }

    /// <summary>Why a run could not write <paramref name="full"/>'s staging folder beside it, or swap the folder itself
    /// (rename it away and back), or null when it can.</summary>
    static string? WriteProbe(string parent, string full)
    {
        var probe = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(full)}.probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            if (Directory.Exists(full))
            {
                Directory.Move(full, probe);
                Directory.Move(probe, full);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.InnerException?.Message ?? e.Message.TrimEnd('.');
        }
    }

    /// <summary>Why the folder must not be replaced now, though it could be when claimed: someone put a file of their
    /// own in it while the script ran. Null when it may be replaced.</summary>
    public string? ChangedSinceClaim()
    {
        if (Refusal(Path, Path, "/") is not string why) return null;
        var prefix = $"--out {Path}: {Path} ";
        return $"{Path} changed while the script ran: it {(why.StartsWith(prefix, StringComparison.Ordinal) ? why[prefix.Length..] : why)}";
    }

    /// <summary>An ancestor folder of <paramref name="full"/> that another esp-script holds the lock of, or null.</summary>
    static string? LockedAncestor(string full)
    {
        for (var dir = System.IO.Path.GetDirectoryName(full); dir is not null && System.IO.Path.GetDirectoryName(dir) is string parent; dir = parent)
        {
            var lockPath = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(dir)}.esp-lock");
            if (!File.Exists(lockPath)) continue;
            try { using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) { return dir; }
        }
        return null;
    }

    static string? Refusal(string given, string full, string cwd)
    {
        string Refuse(string what) => $"--out {given}: {full} {what}";
        const string pickNew = "give a new or empty folder, e.g. --out results/try1";
        if (File.Exists(full)) return Refuse($"is a file, not a folder: {pickNew}");
        if (full == cwd) return Refuse($"is the current directory, and results replace their folder whole: {pickNew}");
        if (cwd.StartsWith(full + "/", StringComparison.Ordinal))
            return Refuse($"is an ancestor of the current directory, and results replace their folder whole: {pickNew}");
        if (!Directory.Exists(full)) return null;
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null) return Refuse($"is a symbolic link (to {info.LinkTarget}): give the real folder, or a new one");
        if (full == Normalize(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)))
            return Refuse($"is the home directory: {pickNew}");
        if (Directory.Exists(System.IO.Path.Combine(full, ".git")) || File.Exists(System.IO.Path.Combine(full, ".git")))
            return Refuse($"is the root of a repository: {pickNew}");
        if (MountPoints().Contains(full)) return Refuse($"is a mount point: give a folder inside it, e.g. --out {full}/results");
        // the shards' folder is Esp's (each shard claims its own folder in it) and is carried over when results replace it
        var entries = Directory.EnumerateFileSystemEntries(full).Select(System.IO.Path.GetFileName)
            .Where(e => !(e == ShardMerge.ShardsFolder && Directory.Exists(System.IO.Path.Combine(full, e)))).ToList();
        if (entries.Count == 0) return null;
        var written = FilesEspWrote(full);
        if (written is null)
            return Refuse($"holds files that Esp did not write (no Esp {ManifestFile} there; it holds {Show(entries)}): " +
                $"results would replace them. {pickNew}, or move those files away");
        var foreign = entries.Where(e => !written.Contains(e!)).ToList();
        return foreign.Count == 0 ? null
            : Refuse($"holds files that Esp did not write ({Show(foreign)}; its {ManifestFile} lists the rest): results would " +
                $"replace them. Move them out of the folder, or {pickNew}");
    }

    /// <summary>
    /// The files an Esp manifest.json in <paramref name="folder"/> lists, or null when there is no such manifest.
    /// Manifests from before the list was kept name no files: their folder may hold only results-like files
    /// (.csv, .html, .json), never a subfolder.
    /// </summary>
    static HashSet<string>? FilesEspWrote(string folder)
    {
        var manifest = System.IO.Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifest)) return null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = json.RootElement;
            if (root.TryGetProperty("written_by", out var by) && by.GetString() == WrittenBy
                && root.TryGetProperty("files", out var files))
                return files.EnumerateArray().Select(f => f.GetString()!).Append(ManifestFile).ToHashSet();
            if (!root.TryGetProperty("compiled_hash", out _)) return null;
            return Directory.EnumerateFiles(folder).Select(System.IO.Path.GetFileName)
                .Where(f => System.IO.Path.GetExtension(f) is ".csv" or ".html" or ".json").ToHashSet()!;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static HashSet<string> MountPoints()
    {
        const string table = "/proc/self/mountinfo"; // field 5 is the mount point, octal-escaped
        if (!File.Exists(table)) return [];
        return File.ReadLines(table).Select(l => l.Split(' ')).Where(f => f.Length > 4)
            .Select(f => Normalize(f[4].Replace("\\040", " ").Replace("\\011", "\t"))).ToHashSet();
    }

    static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    static string Show(IReadOnlyList<string?> entries) =>
        string.Join(", ", entries.Take(3)) + (entries.Count > 3 ? $" and {entries.Count - 3} more" : "");

    public void Dispose()
    {
        lockFile.Dispose();
        // a run that wrote nothing leaves no empty results/ behind
        if (createdParent is not null && Directory.Exists(createdParent) && !Directory.EnumerateFileSystemEntries(createdParent).Any())
            Directory.Delete(createdParent);
    }
}
