using System.Globalization;
using Deedle;

namespace Esp;

/// <summary>
/// Builds a Deedle frame column by column, with rows keyed 0..n-1. Numbers and flags (1 and 0) are stored unboxed in
/// double columns (NaN where a run lacks the setting); text in string columns (missing where absent).
/// A column that receives both becomes text.
/// </summary>
sealed class Table
{
    readonly List<string> order = [];
    readonly Dictionary<string, Column> columns = [];
    int rows;

    /// <summary>Fixes where <paramref name="names"/> go, in this order and before any column met later (settings first).</summary>
    public void Declare(IEnumerable<string> names)
    {
        foreach (var name in names)
            if (!columns.ContainsKey(name))
            {
                columns[name] = new Column();
                order.Add(name);
            }
    }

    /// <summary>Appends <paramref name="count"/> rows whose values come from the given columns
    /// (a constant per column, or a function of the row's position).</summary>
    public void AddRows(int count, IEnumerable<(string Column, Func<int, object?> Value)> values)
    {
        var seen = new HashSet<string>();
        foreach (var (name, value) in values)
        {
            if (!seen.Add(name)) throw new InvalidOperationException($"column \"{name}\" given twice for the same rows");
            if (!columns.TryGetValue(name, out var column))
            {
                columns[name] = column = new Column();
                order.Add(name);
            }
            column.PadTo(rows);
            for (int i = 0; i < count; i++) column.Add(value(i));
        }
        rows += count;
    }

    /// <summary>The table as CSV, the same text as <see cref="Csv.Write"/> of <see cref="ToFrame"/>, without building the frame.</summary>
    public void WriteCsv(TextWriter writer)
    {
        foreach (var c in columns.Values) c.PadTo(rows);
        writer.WriteLine(string.Join(",", order.Select(Csv.Quote)));
        var line = new System.Text.StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int c = 0; c < order.Count; c++)
            {
                if (c > 0) line.Append(',');
                line.Append(columns[order[c]].Cell(r));
            }
            writer.WriteLine(line);
        }
    }

    public Frame<int, string> ToFrame()
    {
        var keys = Enumerable.Range(0, rows).ToArray();
        foreach (var c in columns.Values) c.PadTo(rows);
        return new Frame<int, string>(order, order.Select(name => columns[name].ToSeries(keys)));
    }

    sealed class Column
    {
        List<double>? numbers = [];
        List<string?>? text;

        public int Count => numbers?.Count ?? text!.Count;

        public void PadTo(int rows)
        {
            while (Count < rows) Add(null);
        }

        public void Add(object? value)
        {
            if (numbers != null)
            {
                if (value is null) { numbers.Add(double.NaN); return; }
                if (value is double or int or long or float) { numbers.Add(Convert.ToDouble(value)); return; }
                if (value is bool flag) { numbers.Add(flag ? 1 : 0); return; } // as Csv.Format writes it
                text = numbers.Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToList();
                numbers = null;
            }
            text!.Add(value switch
            {
                null => null,
                bool b => b ? "1" : "0", // as in a number column
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
        }

        /// <summary>Row <paramref name="r"/> as a CSV cell: round-trip numbers, quoted text, empty when missing.</summary>
        public string Cell(int r) => numbers != null
            ? double.IsNaN(numbers[r]) ? "" : numbers[r].ToString("R", CultureInfo.InvariantCulture)
            : text![r] is string t ? Csv.Quote(t) : "";

        public ISeries<int> ToSeries(int[] keys) => numbers != null
            ? new Series<int, double>(keys, numbers)
            : new Series<int, string?>(keys, text!);
    }
}
