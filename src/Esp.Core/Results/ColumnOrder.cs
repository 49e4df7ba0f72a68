namespace Esp;

/// <summary>
/// One column order for runs whose columns differ (an Adam run and an SGD run in one grid): every run's own order is
/// kept, and a column first met in a later run goes right after the column that precedes it there, so that one
/// optimizer's settings stay together with the other optimizers' instead of trailing after the measurements.
/// </summary>
static class ColumnOrder
{
    public static IReadOnlyList<string> Merge(IEnumerable<IEnumerable<string>> orders)
    {
        var merged = new List<string>();
        foreach (var order in orders)
        {
            int after = -1; // position of the last column of this order placed so far
            foreach (var column in order)
            {
                int at = merged.IndexOf(column);
                if (at < 0) merged.Insert(at = after + 1, column);
                after = at;
            }
        }
        return merged;
    }

    /// <summary>Every setting column of <paramref name="runs"/>, merged.</summary>
    public static IReadOnlyList<string> Settings(IEnumerable<RunRecord> runs) =>
        Merge(runs.Select(r => r.Description.Settings().Select(s => s.Column)));
}
