using Deedle;

namespace Esp;

/// <summary>A metric of runs that share some settings (e.g. seeds of one grid cell): mean, sample std, count.</summary>
public sealed record GroupStats(IReadOnlyList<string> Keys, double Mean, double Std, int Count)
{
    /// <summary>Groups the runs by the values of <paramref name="by"/> settings, in first-seen order, and summarises
    /// <paramref name="metric"/> (a column of <see cref="Results.Runs"/>) over each group, ignoring missing values and
    /// runs that diverged or exploded (a sawtooth measured on an exploded loss would dominate the mean).</summary>
    public static IReadOnlyList<GroupStats> Of(Results results, string metric, params string[] by) => Of(results, metric, false, by);

    /// <summary>As <see cref="Of(Results, string, string[])"/>; <paramref name="includeExploded"/> keeps exploded runs in.</summary>
    public static IReadOnlyList<GroupStats> Of(Results results, string metric, bool includeExploded, params string[] by)
    {
        foreach (var setting in by.Where(b => !results.RunRecords.Any(r => r.Setting(b) is not null)))
            throw new ArgumentException($"cannot group by \"{setting}\": no run has that setting; settings: " +
                string.Join(", ", ColumnOrder.Settings(results.RunRecords)));
        var values = MetricValues(results, metric);
        bool Counted(RunRecord r) => r.Status == RunStatus.Completed || includeExploded && r.Status == RunStatus.Exploded;
        return results.RunRecords.Select((r, i) => (Keys: by.Select(b => r.Setting(b) ?? "").ToArray(), Value: Counted(r) ? values[i] : double.NaN))
            .GroupBy(p => string.Join("\u0001", p.Keys))
            .Select(g => Of(g.Select(p => p.Value)) with { Keys = g.First().Keys }).ToList();
    }

    /// <summary>Each run's value of <paramref name="metric"/>, a number column of runs.csv (NaN where missing); a column
    /// runs.csv lacks, or one of text, is refused with the columns there are.</summary>
    internal static double[] MetricValues(Results results, string metric)
    {
        if (results.RunRecords.Count == 0) return [];
        var frame = results.Runs;
        var columns = frame.ColumnKeys.ToList();
        if (!columns.Contains(metric))
            throw new ArgumentException($"runs have no column \"{metric}\"; runs.csv has: {string.Join(", ", columns)}" +
                (metric is "loss_spikes" or "spike_score" ? ". Spike counts need a rule: set Spikes = ... before the first Run" : ""));
        if (frame.ColumnTypes.ElementAt(columns.IndexOf(metric)) != typeof(double))
            throw new ArgumentException($"\"{metric}\" is a text column of runs.csv, not a metric: give a number column such as sawtooth_index or final_loss");
        return frame.GetColumn<double>(metric).GetAllValues().Select(v => v.HasValue ? v.Value : double.NaN).ToArray();
    }

    /// <summary>Mean, sample std and count of the finite <paramref name="values"/> (e.g. one number per seed).</summary>
    public static GroupStats Of(IEnumerable<double> values)
    {
        var xs = values.Where(double.IsFinite).ToArray();
        double mean = xs.Length > 0 ? xs.Average() : double.NaN;
        double std = xs.Length > 1 ? Math.Sqrt(xs.Sum(v => (v - mean) * (v - mean)) / (xs.Length - 1)) : double.NaN;
        return new GroupStats([], mean, std, xs.Length);
    }

    /// <summary>"mean +- sd", as the scripts print a spread over seeds.</summary>
    public override string ToString() => FormattableString.Invariant($"{Mean:G4} +- {Std:G2}");
}
