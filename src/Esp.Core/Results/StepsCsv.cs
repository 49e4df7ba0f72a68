using System.Globalization;
using System.Text;

namespace Esp;

/// <summary>
/// Writes steps.csv straight from the runs' arrays, row by row: the same columns, order and formatting as the
/// <see cref="Results.Steps"/> frame, without building it (a frame of 3 million steps held about 1.5 KB a step).
/// Each run's settings are formatted once; a run lacking a column (another optimizer's setting) leaves it empty.
/// </summary>
static class StepsCsv
{
    public static void Save(IReadOnlyList<RunRecord> runs, string path, Action<long>? rowsWritten = null) =>
        AtomicFile.Write(OutputFolder.Resolve(path), stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            Write(runs, writer, rowsWritten);
        });

    public static void Write(IReadOnlyList<RunRecord> runs, TextWriter writer, Action<long>? rowsWritten = null)
    {
        static IEnumerable<string> ColumnsOf(RunRecord r) =>
            r.Experiment.Settings().Select(s => s.Column).Prepend("run").Concat(["epoch", "step", "global_step"]).Concat(r.StepColumnNames);
        var columns = runs.SelectMany(ColumnsOf).Distinct().ToList(); // first-seen order, as the frame's
        writer.WriteLine(string.Join(",", columns.Select(Csv.Quote)));
        var line = new StringBuilder();
        long rows = 0;
        foreach (var r in runs)
        {
            var settings = r.Experiment.Settings().ToDictionary(s => s.Column, s => Csv.Format(s.Value));
            settings["run"] = Csv.Format(r.Run);
            var stepColumn = r.StepColumnNames.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => r.StepColumns[p.k]);
            int perEpoch = r.Experiment.StepsPerEpoch;
            for (int t = 0; t < r.StepsTaken; t++)
            {
                line.Clear();
                for (int c = 0; c < columns.Count; c++)
                {
                    if (c > 0) line.Append(',');
                    var name = columns[c];
                    if (stepColumn.TryGetValue(name, out var values)) line.Append(Csv.Format(values[t]));
                    else if (name == "epoch") line.Append(t / perEpoch);
                    else if (name == "step") line.Append(t % perEpoch);
                    else if (name == "global_step") line.Append(t);
                    else if (settings.TryGetValue(name, out var text)) line.Append(text);
                }
                writer.WriteLine(line);
                if (++rows % 100_000 == 0) rowsWritten?.Invoke(rows);
            }
        }
        if (rows % 100_000 != 0) rowsWritten?.Invoke(rows);
    }
}
