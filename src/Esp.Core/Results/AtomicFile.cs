namespace Esp;

/// <summary>
/// Writes files and folders whole or not at all: content goes to a temporary sibling first and is
/// renamed into place only once complete, so a crash or Ctrl-C never leaves a half-written result.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> whole or not at all; <paramref name="durable"/> also waits until the content is
    /// on the disk before the rename (not needed where a checksum finds a file a power cut left unwritten).</summary>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>
    /// Fills a fresh staging folder with <paramref name="fill"/> and only then puts it at <paramref name="folder"/>,
    /// replacing what was there. If <paramref name="fill"/> throws, <paramref name="folder"/> is left untouched. Just
    /// before the swap <paramref name="recheck"/> may say why the folder must not be replaced after all (someone put
    /// a file there meanwhile): then nothing is replaced, the new content is kept beside it, and an IOException says where.
    /// The entries named in <paramref name="carry"/> (e.g. a sub-folder of shard results) are moved from the old folder
    /// into the new one at the swap, and back if the swap fails: replacing the results never loses them.
    /// </summary>
    public static void WriteFolder(string folder, Action<string> fill, Func<string?>? recheck = null, IReadOnlyList<string>? carry = null)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full)!;
        bool createdParent = !Directory.Exists(parent);
        Directory.CreateDirectory(parent);
        var staging = $"{full}.tmp-{Guid.NewGuid():N}";
        var old = $"{full}.old-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            fill(staging);
            if (recheck?.Invoke() is string why)
            {
                var kept = $"{full}.new-{DateTime.Now:yyyyMMdd-HHmmss}";
                Directory.Move(staging, kept);
                throw new IOException($"{why}; nothing was replaced, the new results are in {kept}");
            }
            bool hadOld = Directory.Exists(full);
            var carried = hadOld ? (carry ?? []).Where(name => Directory.Exists(Path.Combine(full, name))).ToList() : [];
            if (hadOld) Directory.Move(full, old);
            try
            {
                foreach (var name in carried) Directory.Move(Path.Combine(old, name), Path.Combine(staging, name));
                Directory.Move(staging, full);
            }
            catch
            {
                foreach (var name in carried.Where(name => Directory.Exists(Path.Combine(staging, name))))
                    Directory.Move(Path.Combine(staging, name), Path.Combine(old, name));
                if (hadOld) Directory.Move(old, full); // put the previous results back
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            if (createdParent && !Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(parent).Any())
                Directory.Delete(parent); // a failed first run leaves no empty results/ behind
        }
    }
}
