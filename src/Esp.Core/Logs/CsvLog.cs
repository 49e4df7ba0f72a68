using System.Globalization;
using System.Text;

namespace Esp;

/// <summary>
/// A CSV log with a step column and one column per logged quantity: PyTorch Lightning's CSVLogger (metrics.csv, its
/// columns in sorted order, each row holding the metrics logged at one step and empty cells for the rest; with the
/// hparams.yaml beside it as settings), a plain export such as W&amp;B's (its step column "_step") or MLflow's, and Esp's
/// own steps.csv (a "run" column: a run per value; global_step is preferred over a within-epoch step).
/// Every column but the step and epoch columns that holds a number is a tag; an empty or non-numeric cell is not a value.
/// </summary>
static class CsvLog
{
    static readonly string[] StepColumns = ["global_step", "step", "_step", "Step", "trainer/global_step"];

    /// <summary>The runs of the file: one, or with a "run" column (Esp's own steps.csv, a multi-run export) one per value,
    /// whose columns that hold one value throughout are its settings rather than tags.</summary>
    public static IReadOnlyList<LoggedRun> Read(string path, string source, string? stepColumn = null)
    {
        var (header, rows) = Table(path);
        var step = stepColumn ?? StepColumns.FirstOrDefault(header.Contains)
            ?? throw new ArgumentException($"{path} has no step column (looked for {string.Join(", ", StepColumns)}); its columns: " +
                $"{string.Join(", ", header)}. Name the step column (Logs.Csv(path, stepColumn: ...), diagnose --step-column)");
        int s = header.IndexOf(step);
        if (s < 0) throw new ArgumentException($"{path} has no column \"{step}\"; its columns: {string.Join(", ", header)}");
        int epochColumn = header.IndexOf("epoch"), runColumn = source == "csv" ? header.IndexOf("run") : -1;
        var stem = Path.GetFileNameWithoutExtension(path);
        if (runColumn < 0)
        {
            var settings = source == "lightning" ? Hparams(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "hparams.yaml")) : [];
            var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path;
            return [Run(source, source == "csv" ? stem : folder, header, rows, s, epochColumn, [], settings)];
        }
        return rows.GroupBy(row => runColumn < row.Length ? row[runColumn] : "").Select(g =>
        {
            var runRows = g.ToList();
            var constant = Enumerable.Range(0, header.Count).Where(c => c != s && c != epochColumn && c != runColumn && runRows.Count > 1 &&
                runRows.Select(row => c < row.Length ? row[c] : "").Distinct().Count() == 1).ToHashSet();
            var settings = constant.Where(c => runRows[0][c].Length > 0).Select(c => (header[c], Number(runRows[0], c) is double v ? (object)v : runRows[0][c])).ToList();
            return Run(source, $"{stem} run {g.Key}", header, runRows, s, epochColumn, [.. constant, runColumn], settings);
        }).ToList();
    }

    static LoggedRun Run(string source, string name, List<string> header, List<string[]> rows, int s, int epochColumn, IReadOnlyCollection<int> notTags,
        IReadOnlyList<(string, object)> settings)
    {
        LoggedSeries Column(int c)
        {
            var points = new SortedDictionary<long, double>();
            foreach (var row in rows)
                if (Number(row, s) is double at && Number(row, c) is double v) points[(long)at] = v; // a step logged again: the later value
            return LoggedSeries.Of(points);
        }
        var tags = Enumerable.Range(0, header.Count).Where(c => c != s && c != epochColumn && !notTags.Contains(c))
            .Select(c => (Name: header[c], Series: Column(c))).Where(t => t.Series.Count > 0).ToDictionary(t => t.Name, t => t.Series);
        return new LoggedRun(source, name, tags, epochColumn >= 0 ? Column(epochColumn) : null, settings);
    }

    static double? Number(string[] row, int c) =>
        c < row.Length && double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The header and rows of a CSV file; quoted cells may hold commas, doubled quotes and line breaks.</summary>
    static (List<string> Header, List<string[]> Rows) Table(string path)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        var text = File.ReadAllText(path);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') cell.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                cells.Add(cell.ToString());
                cell.Clear();
                if (cells.Count > 1 || cells[0].Length > 0) records.Add([.. cells]);
                cells.Clear();
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || cells.Count > 0) { cells.Add(cell.ToString()); records.Add([.. cells]); }
        if (records.Count == 0) throw new ArgumentException($"{path} is empty: a CSV log needs a header line and rows");
        return (records[0].Select(h => h.Trim()).ToList(), records.Skip(1).ToList());
    }

    /// <summary>The top-level "name: value" lines of Lightning's hparams.yaml (nested values are left out).</summary>
    static IReadOnlyList<(string, object)> Hparams(string path) => !File.Exists(path) ? [] :
        File.ReadLines(path).Where(line => line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#') && line.Contains(": "))
            .Select(line => (Key: line[..line.IndexOf(": ", StringComparison.Ordinal)], Value: line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim()))
            .Where(p => p.Value.Length > 0)
            .Select(p => (p.Key, double.TryParse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (object)v : p.Value.Trim('\'', '"')))
            .ToList();
}
