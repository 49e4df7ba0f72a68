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
    /// <paramref name="epochs"/> restricts the x range to [first, last] epochs (e.g. 4..6 for figure 11).
    /// Runs of one series that differ only in their seed are drawn as their mean with a band of +- one sample standard
    /// deviation across seeds; other runs as one line each, named by the settings that differ between the runs.
    /// Diverged and exploded runs are named as such. <paramref name="smoothing"/> &lt; 1 smooths the window means as the
    /// paper's BERT plots (its smoothing_coeff c: avg = (1 - c) avg + c mean, from the first mean).</summary>
    public static Figure Lines(Results results, string column, int plotEvery = 1, string? panels = null,
        string? series = null, string? title = null, (int First, int Last)? epochs = null, double smoothing = 1)
    {
        if (!(smoothing > 0 && smoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "the smoothing coefficient must be in (0, 1]: 1 (none) or e.g. 0.75 (the paper's BERT-tiny)");
        var runs = results.RunRecords;
        foreach (var setting in new[] { panels, series }.OfType<string>())
            if (!runs.All(r => r.Setting(setting) != null))
                throw new ArgumentException($"cannot group by \"{setting}\": not a setting of every run. Settings: " +
                    string.Join(", ", runs[0].Experiment.Settings().Select(s => s.Column)));
        var naming = RunRecord.VaryingSettings(runs, [.. new[] { panels, series, "seed" }.OfType<string>()]);
        var colours = new Dictionary<string, int>(); // one colour per legend entry, the same in every panel
        var charts = runs.GroupBy(r => panels is null ? "" : $"{panels} = {r.Setting(panels)}")
            .Select(panel =>
            {
                var groups = panel.GroupBy(r => string.Join(", ", (series is null ? naming : naming.Prepend(series))
                    .Select(c => $"{c} = {r.Setting(c) ?? "-"}")));
                var traces = groups.SelectMany(g =>
                {
                    int colour = colours.TryGetValue(g.Key, out var known) ? known : colours[g.Key] = colours.Count;
                    var members = g.ToList();
                    string name = g.Key == "" ? column : g.Key;
                    return members.Count > 1 && members.All(r => r.Status == RunStatus.Completed)
                        ? Band(members, column, plotEvery, smoothing, epochs, name, colour)
                        : members.Select(r => Trace(r, column, plotEvery, smoothing, epochs,
                            name + (members.Count > 1 ? $", seed = {r.Experiment.Seed}" : "") + StatusNote(r), colour));
                });
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

    static string StatusNote(RunRecord r) => r.Status == RunStatus.Completed ? "" : $" ({r.Status.ToString().ToLowerInvariant()})";

    /// <summary>The seeds' mean as a line and mean +- sample sd as a filled band (all runs the same length).</summary>
    static IEnumerable<Scatter> Band(IReadOnlyList<RunRecord> runs, string column, int plotEvery, double smoothing, (int First, int Last)? epochs,
        string name, int colour)
    {
        var lines = runs.Select(r => Trace(r, column, plotEvery, smoothing, epochs, "", colour)).ToList();
        int n = lines.Min(l => ((double[])l.y).Length);
        var x = ((double[])lines[0].x).Take(n).ToArray();
        var ys = lines.Select(l => (double[])l.y).ToList();
        var mean = Enumerable.Range(0, n).Select(i => ys.Average(y => y[i])).ToArray();
        var sd = Enumerable.Range(0, n).Select(i => Math.Sqrt(ys.Sum(y => (y[i] - mean[i]) * (y[i] - mean[i])) / (ys.Count - 1))).ToArray();
        var label = $"{name} (mean +- sd of {runs.Count} seeds)";
        yield return new Scatter { x = x, y = mean.Zip(sd, (m, s) => m + s).ToArray(), mode = "lines", line = new Line { width = 0 }, showlegend = false, legendgroup = label, hoverinfo = "skip" };
        yield return new Scatter { x = x, y = mean.Zip(sd, (m, s) => m - s).ToArray(), mode = "lines", line = new Line { width = 0 }, fill = "tonexty", fillcolor = Palette.Translucent(colour), showlegend = false, legendgroup = label, hoverinfo = "skip" };
        yield return new Scatter { x = x, y = mean, mode = "lines", name = label, legendgroup = label, line = new Line { color = Palette.Colour(colour) } };
    }

    /// <summary>
    /// A runs metric (sawtooth_index, final_loss, ...) against a numeric setting: the mean over runs that share
    /// the setting (e.g. seeds), with the sample standard deviation as error bars; one curve per value of
    /// <paramref name="series"/>. Diverged and exploded runs are left out of the means (see <see cref="GroupStats"/>).
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

    /// <summary>An epoch-end column (full_loss, a network's val_loss or val_accuracy) against the epoch it ended (0-based,
    /// as epochs.csv), one curve per run, named by <paramref name="series"/> and the run.</summary>
    public static Figure Epochs(Results results, string column, string? series = null, string? title = null) =>
        Charts.Lines(title ?? $"{column} after each epoch", "epoch", column, results.RunRecords
            .Where(r => r.EpochColumnNames.Contains(column))
            .Select(r => new Curve($"{(series is null ? "" : $"{series} = {r.Setting(series)} ")}(run {r.Run}){StatusNote(r)}",
                r.EpochColumn(column).Select((_, e) => (double)e).ToArray(), r.EpochColumn(column), Markers: true)));

    static Scatter Trace(RunRecord r, string column, int plotEvery, double smoothing, (int First, int Last)? epochs, string name, int colour)
    {
        double perEpoch = r.Experiment.StepsPerEpoch;
        var values = r.Column(column);
        int from = epochs is { } e ? (int)(e.First * perEpoch) : 0;
        int to = epochs is { } f ? Math.Min(values.Length, (int)((f.Last + 1) * perEpoch)) : values.Length;
        var means = Smoothing.PlotEvery(values[from..to], plotEvery);
        if (smoothing < 1) means = Smoothing.Exponential(means, 1 - smoothing);
        return new Scatter
        {
            x = means.Select((_, k) => (from + k * plotEvery) / perEpoch).ToArray(),
            y = means,
            name = name,
            mode = "lines",
            line = new Line { color = Palette.Colour(colour) },
        };
    }

}
