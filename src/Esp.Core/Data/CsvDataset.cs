using System.Runtime.CompilerServices;
using System.Globalization;

namespace Esp;

/// <summary>
/// Your own classification data from a CSV file with a header: every column but <paramref name="LabelColumn"/> is a
/// numeric feature, the label column holds class numbers 0..C-1. A fixed share of the rows (ValidationFraction,
/// picked by a shuffle seeded with SplitSeed, the same for every run) is held out for validation; the rest is trained
/// on, in file order (samplers reorder it). The file is read once per process.
/// </summary>
public sealed record CsvDataset(string Path, string LabelColumn = "label", double ValidationFraction = 0.2, int SplitSeed = 0) : Dataset
{
    // Read once per description (this record instance): a file changed or removed while a grid runs cannot change
    // N, the schedule or the labels of runs already described; the split is made once too, so runs share its arrays.
    static readonly ConditionalWeakTable<CsvDataset, Parsed> contents = new();
    static readonly ConditionalWeakTable<CsvDataset, LabelledData> splits = new();

    sealed record Parsed(float[] X, long[] Y, int Features, int Classes, string? Error);

    Parsed Content => contents.GetValue(this, _ => !File.Exists(Path)
        ? new Parsed([], [], 0, 0, $"CsvDataset.Path: {System.IO.Path.GetFullPath(Path)} not found: give the path of a CSV file with a header and a \"{LabelColumn}\" column")
        : Parse());

    int Validation(int rows) => (int)Math.Round(rows * ValidationFraction);

    public override int TrainExamples => Content.Y.Length - Validation(Content.Y.Length);
    public override int ValidationExamples => Validation(Content.Y.Length);
    public override int Features => Content.Features;
    public override int Classes => Content.Classes;
    public override string Name => System.IO.Path.GetFileName(Path);
    public override string Label => $"{Name} {TrainExamples}/{ValidationExamples}";

    public override IEnumerable<string> Errors()
    {
        foreach (var e in Require.InRange("CsvDataset.ValidationFraction", ValidationFraction, 0, 1, false, "use e.g. 0.2, or 0 for no validation"))
            yield return e;
        if (!File.Exists(Path))
            yield return $"CsvDataset.Path: {System.IO.Path.GetFullPath(Path)} not found: give the path of a CSV file with a header and a \"{LabelColumn}\" column";
    }

    internal override bool ShapeDescribed => false;

    internal override IEnumerable<string> DataErrors()
    {
        if (Content.Error is string error) yield return error;
        else if (TrainExamples < 1) yield return $"CsvDataset: {Path} leaves no training rows ({Content.Y.Length} rows, ValidationFraction {Require.Show(ValidationFraction)}): add rows or lower ValidationFraction";
    }

    internal override LabelledData Load(int seed) => splits.GetValue(this, _ => Split());

    LabelledData Split()
    {
        var content = Content;
        int rows = content.Y.Length, held = Validation(rows), f = content.Features;
        var order = Enumerable.Range(0, rows).ToArray();
        Rng.For(SplitSeed, "split").Shuffle(order);
        var validation = order.Take(held).Order().ToArray();
        var train = order.Skip(held).Order().ToArray();
        float[] Rows(int[] which) => which.SelectMany(i => content.X.AsSpan(i * f, f).ToArray()).ToArray();
        return new LabelledData(Rows(train), train.Select(i => content.Y[i]).ToArray(), Rows(validation), validation.Select(i => content.Y[i]).ToArray(), f);
    }

    Parsed Parse()
    {
        // blank lines are skipped, but every message names the file's own line number
        var lines = File.ReadLines(Path).Select((text, i) => (Text: text, Line: i + 1)).Where(l => l.Text.Trim().Length > 0).ToList();
        Parsed Bad(string why) => new([], [], 0, 0, $"CsvDataset: {Path}{why}");
        if (lines.Count < 2) return Bad(": no data rows under the header: give a CSV with a header line and one row per example");
        var header = lines[0].Text.Split(',').Select(h => h.Trim()).ToList();
        int label = header.IndexOf(LabelColumn);
        if (label < 0) return Bad($" has no column \"{LabelColumn}\" (columns: {string.Join(", ", header)}): set CsvDataset.LabelColumn");
        int features = header.Count - 1;
        var x = new float[(lines.Count - 1) * features];
        var y = new long[lines.Count - 1];
        for (int row = 1; row < lines.Count; row++)
        {
            var (cells, line) = (lines[row].Text.Split(','), lines[row].Line);
            if (cells.Length != header.Count) return Bad($"({line}): {cells.Length} values, the header has {header.Count}");
            for (int c = 0, k = 0; c < cells.Length; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    return Bad($"({line}): column \"{header[c]}\" holds \"{cells[c].Trim()}\", not a finite number");
                if (c == label)
                {
                    if (v < 0 || v != Math.Floor(v) || v >= MaxClasses)
                        return Bad($"({line}): label \"{cells[c].Trim()}\" is not a class number 0, 1, 2, ... (below {MaxClasses:N0})");
                    y[row - 1] = (long)v;
                }
                else x[(row - 1) * features + k++] = (float)v;
            }
        }
        // Classes are 0..C-1 exactly: {1, 2} would otherwise train as 3 classes, one of them never seen
        var found = y.Distinct().Order().ToList();
        if (found[^1] != found.Count - 1)
        {
            var absent = Enumerable.Range(0, (int)found[^1] + 1).Select(c => (long)c).Except(found).ToList();
            return Bad($": the \"{LabelColumn}\" column must hold the class numbers 0..C-1, found {Show(found)} ({absent.Count:N0} of " +
                $"0..{found[^1]} never occur: {Show(absent)}): renumber the classes 0, 1, 2, ... in the file");
        }
        return new Parsed(x, y, features, found.Count, null);
    }

    /// <summary>More classes than a network's output layer could sensibly have is a wrong label column, not data.</summary>
    const int MaxClasses = 1_000_000;

    static string Show(IReadOnlyList<long> values) => "{" + string.Join(", ", values.Take(8)) + (values.Count > 8 ? $", ... ({values.Count:N0} values)" : "") + "}";
}
