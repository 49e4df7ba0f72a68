using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A tensor batch's whole state after a completed epoch, one file per checkpointed epoch (<see cref="CheckpointFile"/>:
/// named by the batch's descriptions, checksummed, atomic): the epoch to run next, the global step, which runs have
/// stopped, the libtorch intra-op threads it ran with on the CPU, theta and the optimizer state bit for bit, the
/// problem's random stream (dropout), and every run's recorded values. The samplers are not saved: their orders are
/// replayed from the runs' seeds, which gives the same random stream. Earlier epochs' files are kept: a run can resume
/// (or branch) from any of them.
/// </summary>
sealed class Checkpoint(string folder, IReadOnlyList<(int Run, Experiment X)> batch, int intraOpThreads)
{
    const string Magic = "esp-checkpoint-2";
    readonly string prefix = $"batch-{CheckpointFile.Key(batch.Select(b => b.X))}-epoch";

    /// <summary>The file of the state before epoch <paramref name="nextEpoch"/> (after nextEpoch epochs).</summary>
    public string PathOf(int nextEpoch) => CheckpointFile.PathOf(folder, prefix, nextEpoch);

    /// <summary>What a batch resumes with.</summary>
    public sealed record State(int NextEpoch, int Step, int?[] StoppedAt);

    public void Save(State state, Tensor theta, OptimizerState optimizer, ITensorProblem problem, RunLog[] logs) =>
        ChecksummedFile.Write(PathOf(state.NextEpoch), w =>
        {
            w.Write(Magic);
            w.Write(CheckpointFile.Describe(batch.Select(b => b.X)));
            w.Write(intraOpThreads);
            w.Write(state.NextEpoch);
            w.Write(state.Step);
            w.Write(optimizer.StepCount);
            foreach (var s in state.StoppedAt) w.Write(s ?? -1);
            var random = problem.RandomState;
            foreach (var t in new[] { theta }.Concat(optimizer.Saved!).Concat(random is null ? [] : [random])) WriteTensor(w, t);
            foreach (var log in logs) log.Write(w, state.Step);
        }, durable: false);

    /// <summary>Restores theta, the optimizer state, the problem's random stream and the logs in place from the newest
    /// good checkpoint (or the one after <paramref name="epoch"/>), or returns null when there is none.</summary>
    public State? TryLoad(Tensor theta, OptimizerState optimizer, ITensorProblem problem, RunLog[] logs, Action<string> log, int? epoch = null) =>
        CheckpointFile.LoadNewest(folder, prefix, epoch, log, (r, path) =>
        {
            string Fail(string why) => throw new InvalidDataException($"checkpoint {path} {why}");
            if (r.ReadString() != Magic) Fail("is not a tensor-path checkpoint of this version of Esp");
            if (r.ReadString() != CheckpointFile.Describe(batch.Select(b => b.X))) Fail("belongs to other runs");
            if (r.ReadInt32() is var threads && threads != intraOpThreads)
                throw new InvalidExperimentException([$"checkpoint {path} was written with EngineOptions.IntraOpThreads = {threads}, " +
                    $"this run has {intraOpThreads}, which would change its numbers: set IntraOpThreads = {threads} to resume it, or delete the checkpoint"]);
            var (nextEpoch, step, optimizerSteps) = (r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            var stoppedAt = batch.Select(_ => r.ReadInt32() is var s && s >= 0 ? s : (int?)null).ToArray();
            foreach (var t in new[] { theta }.Concat(optimizer.Saved!)) ReadTensor(r, t, path);
            if (problem.RandomState is { } random)
            {
                ReadTensor(r, random, path);
                problem.RandomState = random;
            }
            optimizer.RestoreStepCount(optimizerSteps);
            foreach (var l in logs) l.Read(r, step);
            return new State(nextEpoch, step, stoppedAt);
        });

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
    static void ReadTensor(BinaryReader r, Tensor into, string path)
    {
        var (shape, type, length) = (r.ReadString(), (ScalarType)r.ReadInt32(), r.ReadInt32());
        if (shape != string.Join(",", into.shape) || type != into.dtype)
            throw new InvalidDataException($"checkpoint {path} holds a tensor [{shape}] {type} where [{string.Join(",", into.shape)}] {into.dtype} belongs");
        using var host = empty(into.shape, dtype: type);
        host.bytes = r.ReadBytes(length);
        into.copy_(host);
    }
}
