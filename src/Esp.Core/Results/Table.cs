using Deedle;

namespace Esp;

/// <summary>
/// Builds a Deedle frame column by column, with rows keyed 0..n-1. Each column takes the type of its
/// values: numbers become double columns (NaN where a run lacks the setting), text and flags stay as they
/// are (missing where absent).
/// </summary>
sealed class Table
{
    readonly List<string> order = [];
    readonly Dictionary<string, List<object?>> columns = [];
    int rows;

    /// <summary>Appends <paramref name="count"/> rows whose values come from the given columns
    /// (a constant per column, or a function of the row's position).</summary>
    public void AddRows(int count, IEnumerable<(string Column, Func<int, object?> Value)> values)
    {
        var seen = new HashSet<string>();
        foreach (var (name, value) in values)
        {
            if (!seen.Add(name)) throw new InvalidOperationException($"column \"{name}\" given twice for the same rows");
            if (!columns.TryGetValue(name, out var list))
            {
                columns[name] = list = [.. Enumerable.Repeat<object?>(null, rows)];
                order.Add(name);
            }
            for (int i = 0; i < count; i++) list.Add(value(i));
        }
        rows += count;
        foreach (var list in columns.Values)
            while (list.Count < rows) list.Add(null);
    }

    public Frame<int, string> ToFrame()
    {
        var keys = Enumerable.Range(0, rows).ToArray();
        return new Frame<int, string>(order, order.Select(name => Series(keys, columns[name])));
    }

    static ISeries<int> Series(int[] keys, List<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count > 0 && present.All(v => v is double or int or long or float))
            return new Series<int, double>(keys, values.Select(v => v is null ? double.NaN : Convert.ToDouble(v)));
        if (present.Count == values.Count && present.All(v => v is bool))
            return new Series<int, bool>(keys, values.Select(v => (bool)v!));
        return new Series<int, string?>(keys, values.Select(v => v switch
        {
            null => null,
            bool b => b ? "true" : "false",
            _ => v.ToString(),
        }));
    }
}
