using System.Numerics;
using System.Runtime.InteropServices;

namespace Esp;

/// <summary>
/// A fused run's state after a completed epoch, one file per checkpointed epoch (<see cref="CheckpointFile"/>: named by
/// the run's description, checksummed, atomic): the epoch to run next, the global step, x and the optimizer's arrays
/// bit for bit, and what the run recorded. That is all of it: the problem's data and the sampler's stream are replayed
/// from the seed, as on the tensor path, so a resumed run gives the uninterrupted run's numbers bit for bit.
/// </summary>
sealed class FusedCheckpoint(string folder, Experiment x)
{
    const string Magic = "esp-fused-checkpoint-1";
    readonly string prefix = $"run-{CheckpointFile.Key([x])}-epoch";

    /// <summary>The file of the state before epoch <paramref name="nextEpoch"/> (after nextEpoch epochs).</summary>
    public string PathOf(int nextEpoch) => CheckpointFile.PathOf(folder, prefix, nextEpoch);

    /// <summary>Where a run resumes: the epoch to run next and the global step.</summary>
    public sealed record State(int NextEpoch, int Step);

    public void Save<T>(State state, T[] theta, IReadOnlyList<T[]> optimizer, RunLog log) where T : unmanaged, IFloatingPointIeee754<T> =>
        ChecksummedFile.Write(PathOf(state.NextEpoch), w =>
        {
            w.Write(Magic);
            w.Write(x.ToString());
            w.Write(typeof(T).Name);
            w.Write(state.NextEpoch);
            w.Write(state.Step);
            foreach (var array in optimizer.Prepend(theta))
            {
                w.Write(array.Length);
                w.Write(MemoryMarshal.AsBytes(array.AsSpan()));
            }
            log.Write(w, state.Step);
        }, durable: false);

    /// <summary>Restores x, the moments and the log in place from the newest good checkpoint (or the one after
    /// <paramref name="epoch"/>), or returns null when there is none.</summary>
    public State? TryLoad<T>(T[] theta, IReadOnlyList<T[]> optimizer, RunLog log, Action<string> say, int? epoch = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CheckpointFile.LoadNewest(folder, prefix, epoch, say, (r, path) =>
        {
            string Fail(string why) => throw new InvalidDataException($"checkpoint {path} {why}");
            if (r.ReadString() != Magic) Fail("is not a fused-path checkpoint of this version of Esp");
            if (r.ReadString() != x.ToString()) Fail("belongs to another run");
            if (r.ReadString() != typeof(T).Name) Fail($"holds another precision than {typeof(T).Name}");
            var state = new State(r.ReadInt32(), r.ReadInt32());
            foreach (var array in optimizer.Prepend(theta))
            {
                if (r.ReadInt32() is var length && length != array.Length) Fail($"holds an array of {length} numbers where {array.Length} belong");
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan()));
            }
            log.Read(r, state.Step);
            return state;
        });
}
