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
        // as the frame: the run, every run's settings together, then the measurements in first-seen order
        var columns = ColumnOrder.Settings(runs).Prepend("run").Concat(["epoch", "step", "global_step"])
            .Concat(runs.SelectMany(r => r.StepColumnNames).Distinct()).ToList();
        writer.WriteLine(string.Join(",", columns.Select(Csv.Quote)));
        var line = new StringBuilder();
        long rows = 0;
        foreach (var r in runs)
        {
            var cells = Cells(r, columns);
            for (int t = 0; t < r.StepsTaken; t++)
            {
                line.Clear();
                for (int c = 0; c < cells.Length; c++)
                {
                    if (c > 0) line.Append(',');
                    line.Append(cells[c](t));
                }
                writer.WriteLine(line);
                if (++rows % 100_000 == 0) rowsWritten?.Invoke(rows);
            }
        }
        if (rows % 100_000 != 0) rowsWritten?.Invoke(rows);
    }

    /// <summary>How run <paramref name="r"/> fills each column at step t, decided once per run rather than per cell:
    /// a recorded value, the step's position, or the run's setting (formatted once; empty when it has none).</summary>
    static Func<int, string>[] Cells(RunRecord r, IReadOnlyList<string> columns)
    {
        var settings = r.Description.Settings().ToDictionary(s => s.Column, s => Csv.Format(s.Value));
        settings["run"] = Csv.Format(r.Run);
        int perEpoch = r.Description.StepsPerEpoch;
        return columns.Select(name =>
        {
            int k = r.StepColumnNames.ToList().IndexOf(name);
            if (k >= 0) return t => Csv.Format(r.StepColumns[k][t]);
            if (name == "epoch") return t => (t / perEpoch).ToString(CultureInfo.InvariantCulture);
            if (name == "step") return t => (t % perEpoch).ToString(CultureInfo.InvariantCulture);
            if (name == "global_step") return t => t.ToString(CultureInfo.InvariantCulture);
            var text = settings.GetValueOrDefault(name, "");
            return (Func<int, string>)(_ => text);
        }).ToArray();
    }
}
