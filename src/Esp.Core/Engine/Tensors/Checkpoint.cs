using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A tensor batch's whole state after a completed epoch, one file per checkpointed epoch: the epoch to run next, the global step,
/// which runs have stopped, theta and the optimizer state bit for bit, the problem's random stream (dropout), and
/// every run's recorded values. The samplers are not saved: their orders are replayed from the runs' seeds, which
/// gives the same random stream. The file is named by a hash of the batch's runs (their numbers in the grid and
/// full descriptions) and the epoch, so a changed script never resumes from another script's state; written
/// atomically. Earlier epochs' files are kept: a run can resume (or branch) from any of them.
/// </summary>
sealed class Checkpoint(string folder, IReadOnlyList<(int Run, Experiment X)> batch)
{
    const string Magic = "esp-checkpoint-1";
    readonly string prefix = $"batch-{Key(batch)}-epoch";

    /// <summary>The file of the state before epoch <paramref name="nextEpoch"/> (after nextEpoch epochs).</summary>
    public string PathOf(int nextEpoch) => System.IO.Path.Combine(folder, $"{prefix}{nextEpoch}.ckpt");

    /// <summary>The latest checkpoint of this batch, or null.</summary>
    public string? Latest => !Directory.Exists(folder) ? null : Directory.EnumerateFiles(folder, $"{prefix}*.ckpt")
        .Select(f => (File: f, Epoch: int.TryParse(System.IO.Path.GetFileNameWithoutExtension(f)[prefix.Length..], out var e) ? e : -1))
        .Where(f => f.Epoch >= 0).MaxBy(f => f.Epoch).File;

    // The runs' descriptions name the checkpoint (identical descriptions give identical states), so a branch finds
    // its parent's checkpoint whichever run number the parent had.
    static string Describe(IReadOnlyList<(int Run, Experiment X)> batch) => string.Join("\n", batch.Select(b => b.X.ToString()));

    static string Key(IReadOnlyList<(int Run, Experiment X)> batch) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Describe(batch)))).ToLowerInvariant()[..16];

    /// <summary>What a batch resumes with.</summary>
    public sealed record State(int NextEpoch, int Step, int?[] StoppedAt);

    public void Save(State state, Tensor theta, OptimizerState optimizer, ITensorProblem problem, RunLog[] logs) =>
        AtomicFile.Write(PathOf(state.NextEpoch), stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Describe(batch));
            w.Write(state.NextEpoch);
            w.Write(state.Step);
            w.Write(optimizer.StepCount);
            foreach (var s in state.StoppedAt) w.Write(s ?? -1);
            var random = problem.RandomState;
            foreach (var t in new[] { theta }.Concat(optimizer.Saved!).Concat(random is null ? [] : [random])) WriteTensor(w, t);
            foreach (var log in logs) log.Write(w, state.Step);
        });

    /// <summary>Restores theta, the optimizer state, the problem's random stream and the logs in place from the latest
    /// checkpoint (or the one after <paramref name="epoch"/>), or returns null when there is none.</summary>
    public State? TryLoad(Tensor theta, OptimizerState optimizer, ITensorProblem problem, RunLog[] logs, int? epoch = null)
    {
        if ((epoch is int e ? File.Exists(PathOf(e)) ? PathOf(e) : null : Latest) is not string path) return null;
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        string Fail(string why) => throw new InvalidDataException($"checkpoint {path} {why}: delete it to start the batch afresh");
        if (r.ReadString() != Magic) Fail("is not an Esp checkpoint of this version");
        if (r.ReadString() != Describe(batch)) Fail("belongs to other runs");
        var (nextEpoch, step, optimizerSteps) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
        var stoppedAt = batch.Select(_ => r.ReadInt32() is var s && s >= 0 ? s : (int?)null).ToArray();
        foreach (var t in new[] { theta }.Concat(optimizer.Saved!)) ReadTensor(r, t);
        if (problem.RandomState is { } random)
        {
            ReadTensor(r, random);
            problem.RandomState = random;
        }
        optimizer.RestoreStepCount(optimizerSteps);
        foreach (var log in logs) log.Read(r, step);
        return new State(nextEpoch, step, stoppedAt);
    }

    static void WriteTensor(BinaryWriter w, Tensor t)
    {
        using var host = t.cpu().contiguous();
        w.Write(string.Join(",", t.shape));
        w.Write((int)t.dtype);
        var bytes = host.bytes;
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    /// <summary>Reads a tensor written by <see cref="WriteTensor"/> into <paramref name="into"/>, which must have its shape and type.</summary>
    static void ReadTensor(BinaryReader r, Tensor into)
    {
        var (shape, type, length) = (r.ReadString(), (ScalarType)r.ReadInt32(), r.ReadInt32());
        if (shape != string.Join(",", into.shape) || type != into.dtype)
            throw new InvalidDataException($"checkpoint tensor [{shape}] {type} does not fit [{string.Join(",", into.shape)}] {into.dtype}");
        using var host = empty(into.shape, dtype: type);
        host.bytes = r.ReadBytes(length);
        into.copy_(host);
    }
}
