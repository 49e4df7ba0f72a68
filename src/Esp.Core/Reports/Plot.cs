using XPlot.Plotly;

namespace Esp;

/// <summary>
/// The paper's kinds of figures from <see cref="Results"/>: a per-step column averaged over plot_every
/// windows against the epoch (ticks at epoch boundaries), one panel per value of one setting and one
/// series per value of another.
/// </summary>
public static class Plot
{
    /// <summary>Batch loss averaged over windows of <paramref name="plotEvery"/> steps (paper figures 4, 19, 21, 22).</summary>
    public static Figure Loss(Results results, int plotEvery = 10, string? panels = null, string? series = null,
        string? title = null) =>
        Lines(results, "loss", plotEvery, panels, series, title ?? $"batch loss, plot_every = {plotEvery}");

    /// <summary>Any per-step column (a probe such as m_norm or g_dot_tracked), averaged over plotEvery steps;
    /// <paramref name="epochs"/> restricts the x range to [first, last] epochs (e.g. 4..6 for figure 11).</summary>
    public static Figure Lines(Results results, string column, int plotEvery = 1, string? panels = null,
        string? series = null, string? title = null, (int First, int Last)? epochs = null)
    {
        var runs = results.RunRecords;
        foreach (var setting in new[] { panels, series }.OfType<string>())
            if (!runs.All(r => Setting(r, setting) != null))
                throw new ArgumentException($"cannot group by \"{setting}\": not a setting of every run. Settings: " +
                    string.Join(", ", runs[0].Experiment.Settings().Select(s => s.Column)));
        var charts = runs.GroupBy(r => panels is null ? "" : $"{panels} = {Setting(r, panels)}")
            .Select(panel =>
            {
                var traces = panel.GroupBy(r => series is null ? $"run {r.Run}" : $"{series} = {Setting(r, series)}")
                    .SelectMany(group => group.Select((r, k) => Trace(r, column, plotEvery, epochs,
                        group.Count() == 1 ? group.Key : $"{group.Key} (run {r.Run})")));
                var chart = Chart.Plot(traces);
                chart.WithLayout(new Layout.Layout
                {
                    title = panel.Key == "" ? column : panel.Key,
                    xaxis = new Xaxis { title = "epoch", dtick = 1, showgrid = true },
                    yaxis = new Yaxis { title = column },
                    height = 420,
                });
                return chart;
            }).ToList();
        return new Figure(title ?? column, charts);
    }

    /// <summary>
    /// A runs metric (sawtooth_index, final_loss, ...) against a numeric setting: the mean over runs that share
    /// the setting (e.g. seeds), with the sample standard deviation as error bars; one curve per value of
    /// <paramref name="series"/>. Diverged runs have no metric and are left out of the means.
    /// </summary>
    public static Figure Metric(Results results, string x, string metric = "sawtooth_index", string? series = null,
        string? title = null, bool logX = false)
    {
        var stats = GroupStats.Of(results, metric, series is null ? [x] : [series, x]);
        var traces = stats.GroupBy(s => series is null ? metric : $"{series} = {s.Keys[0]}").Select(g => new Scatter
        {
            x = g.Select(s => double.Parse(s.Keys[^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            y = g.Select(s => s.Mean).ToArray(),
            error_y = new Error_y { type = "data", array = g.Select(s => double.IsNaN(s.Std) ? 0 : s.Std).ToArray(), visible = true },
            mode = "lines+markers",
            name = g.Key,
        });
        var chart = Chart.Plot(traces);
        chart.WithLayout(new Layout.Layout
        {
            title = title ?? $"{metric} against {x}", height = 420,
            xaxis = new Xaxis { title = x, type = logX ? "log" : "linear" }, yaxis = new Yaxis { title = metric },
        });
        return new Figure(title ?? $"{metric} against {x}", [chart]);
    }

    /// <summary>An epoch-end column (full_loss, a network's val_loss or val_accuracy) against the epoch (1 = after the
    /// first), one curve per run, named by <paramref name="series"/> and the run.</summary>
    public static Figure Epochs(Results results, string column, string? series = null, string? title = null) =>
        Charts.Lines(title ?? $"{column} after each epoch", "epoch", column, results.RunRecords
            .Where(r => r.EpochColumnNames.Contains(column))
            .Select(r => new Curve($"{(series is null ? "" : $"{series} = {Setting(r, series)} ")}(run {r.Run})",
                r.EpochColumn(column).Select((_, e) => e + 1.0).ToArray(), r.EpochColumn(column), Markers: true)));

    static Scatter Trace(RunRecord r, string column, int plotEvery, (int First, int Last)? epochs, string name)
    {
        double perEpoch = r.Experiment.StepsPerEpoch;
        var values = r.Column(column);
        int from = epochs is { } e ? (int)(e.First * perEpoch) : 0;
        int to = epochs is { } f ? Math.Min(values.Length, (int)((f.Last + 1) * perEpoch)) : values.Length;
        var means = Smoothing.PlotEvery(values[from..to], plotEvery);
        return new Scatter
        {
            x = means.Select((_, k) => (from + k * plotEvery) / perEpoch).ToArray(),
            y = means,
            name = name,
            mode = "lines",
        };
    }

    internal static string? Setting(RunRecord r, string name) =>
        r.Experiment.Settings().Where(s => s.Column == name).Select(s => Require.Show(s.Value)).FirstOrDefault();
}
