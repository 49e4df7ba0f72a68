using System.Runtime.InteropServices;

namespace Esp;

/// <summary>
/// Runs' records in one binary file, bit for bit (a shard's results, read back by the merge): for each run its number,
/// description, recorded step and epoch columns, batch losses, status, message, seconds and the intra-op threads it
/// computed with. Doubles are stored as their bytes, so the merged CSVs equal a single machine's; written atomically
/// and checksummed (<see cref="ChecksummedFile"/>), so a changed or cut file is refused rather than merged.
/// </summary>
public static class RecordFile
{
    const string Magic = "esp-records-2";

    public static void Write(string path, IEnumerable<RunRecord> runs) =>
        ChecksummedFile.Write(path, w =>
        {
            w.Write(Magic);
            var list = runs.ToList();
            w.Write(list.Count);
            foreach (var r in list)
            {
                w.Write(r.Run);
                w.Write(r.Experiment.ToString());
                w.Write(r.StepsTaken);
                Columns(w, r.StepColumnNames, r.StepColumns.Select(c => c[..r.StepsTaken]).ToList());
                Columns(w, r.EpochColumnNames, r.EpochColumns);
                w.Write(r.BatchLosses.Count);
                foreach (var (epoch, batch, loss) in r.BatchLosses) { w.Write(epoch); w.Write(batch); w.Write(loss); }
                w.Write((int)r.Status);
                w.Write(r.Message);
                w.Write(r.Seconds);
                w.Write(r.IntraOpThreads ?? -1);
            }
        });

    public static IReadOnlyList<StoredRun> Read(string path)
    {
        try { return ReadRuns(path); }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is not an Esp record file of this version, or is cut short: write it again (run its shard again)");
        }
    }

    static StoredRun[] ReadRuns(string path)
    {
        using var r = ChecksummedFile.Open(path, "record file", ": run its shard again");
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path} is not an Esp record file of this version: write it again (run its shard again)");
        var runs = new StoredRun[r.ReadInt32()];
        for (int k = 0; k < runs.Length; k++)
        {
            var (run, description, steps) = (r.ReadInt32(), r.ReadString(), r.ReadInt32());
            var (stepNames, stepColumns) = Columns(r);
            var (epochNames, epochColumns) = Columns(r);
            var batchLosses = Enumerable.Range(0, r.ReadInt32()).Select(_ => (r.ReadInt32(), r.ReadInt32(), r.ReadDouble())).ToList();
            var (status, message, seconds) = ((RunStatus)r.ReadInt32(), r.ReadString(), r.ReadDouble());
            int? threads = r.ReadInt32() is var n && n > 0 ? n : null;
            runs[k] = new StoredRun(run, description, x =>
                new RunRecord(run, x, stepNames, stepColumns, steps, epochNames, epochColumns, batchLosses, status, message, seconds, threads));
        }
        return runs;
    }

    static void Columns(BinaryWriter w, IReadOnlyList<string> names, IReadOnlyList<double[]> columns)
    {
        w.Write(names.Count);
        for (int c = 0; c < names.Count; c++)
        {
            w.Write(names[c]);
            w.Write(columns[c].Length);
            w.Write(MemoryMarshal.AsBytes(columns[c].AsSpan()));
        }
    }

    static (string[] Names, double[][] Columns) Columns(BinaryReader r)
    {
        int count = r.ReadInt32();
        var (names, columns) = (new string[count], new double[count][]);
        for (int c = 0; c < count; c++)
        {
            names[c] = r.ReadString();
            columns[c] = new double[r.ReadInt32()];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(columns[c].AsSpan()));
        }
        return (names, columns);
    }
}
