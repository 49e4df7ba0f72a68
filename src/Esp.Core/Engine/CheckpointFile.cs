using System.Security.Cryptography;
using System.Text;

namespace Esp;

/// <summary>
/// The files both paths keep their checkpoints in (<see cref="Checkpoint"/> for a tensor batch, <see cref="FusedCheckpoint"/>
/// for a fused run): named by a hash of the runs' full descriptions and the epoch (so a changed script never resumes
/// from another script's state, and a branch finds its parent's whichever run number the parent had), written
/// atomically and checksummed (<see cref="ChecksummedFile"/>): a file cut short or changed on disk is skipped for the
/// checkpoint before it, by name. They are not synced to the disk one by one (that cost a fused run at a checkpoint
/// every epoch 1.9x its time): a file a power cut left unwritten fails its checksum and is skipped the same way.
/// </summary>
static class CheckpointFile
{
    /// <summary>The hash that names the checkpoints of <paramref name="runs"/>.</summary>
    public static string Key(IEnumerable<Experiment> runs) => Convert.ToHexString(
        SHA256.HashData(Encoding.UTF8.GetBytes(Describe(runs)))).ToLowerInvariant()[..16];

    /// <summary>The runs' descriptions as a checkpoint records them (identical descriptions give identical states).</summary>
    public static string Describe(IEnumerable<Experiment> runs) => string.Join("\n", runs.Select(x => x.ToString()));

    public static string PathOf(string folder, string prefix, int nextEpoch) => Path.Combine(folder, $"{prefix}{nextEpoch}.ckpt");

    /// <summary>This prefix's checkpoint files in <paramref name="folder"/>, the latest epoch first.</summary>
    public static IReadOnlyList<string> NewestFirst(string folder, string prefix) => !Directory.Exists(folder) ? []
        : Directory.EnumerateFiles(folder, $"{prefix}*.ckpt")
            .Select(f => (File: f, Epoch: int.TryParse(Path.GetFileNameWithoutExtension(f)[prefix.Length..], out var e) ? e : -1))
            .Where(f => f.Epoch >= 0).OrderByDescending(f => f.Epoch).Select(f => f.File).ToList();

    /// <summary>
    /// Loads the newest checkpoint of <paramref name="prefix"/> that reads back whole (or exactly the one after
    /// <paramref name="epoch"/>) with <paramref name="load"/>, or returns null when there is none. A corrupt or unreadable
    /// file is skipped for the one before it, and <paramref name="log"/> says which and why; one asked for by epoch is an error.
    /// </summary>
    public static TState? LoadNewest<TState>(string folder, string prefix, int? epoch, Action<string> log, Func<BinaryReader, string, TState> load)
        where TState : class
    {
        if (epoch is int e)
        {
            var path = PathOf(folder, prefix, e);
            if (!File.Exists(path)) return null;
            using var r = ChecksummedFile.Open(path, "checkpoint", ": delete it and run the parent again with EngineOptions.CheckpointEvery");
            return load(r, path);
        }
        foreach (var path in NewestFirst(folder, prefix))
        {
            try
            {
                using var r = ChecksummedFile.Open(path, "checkpoint", "");
                return load(r, path);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
            {
                log($"skipped checkpoint {path}: {ex.Message}; trying the one before it");
            }
        }
        return null;
    }
}
