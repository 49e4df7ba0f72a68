using System.Globalization;
using XPlot.Plotly;

namespace Esp;

/// <summary>
/// The paper's kinds of figures from <see cref="Results"/>, faceted as seaborn's relplot: one panel per value of
/// <c>panels</c> (at most <c>wrap</c> columns in balanced rows, or one row per value of <c>rows</c>), one colour per value of
/// <c>series</c>, the same in every panel, and one legend naming only the settings that tell the series apart. Runs
/// that differ only in their seed are drawn as their mean with a band of +- one sample standard deviation; a run that
/// diverged or exploded is drawn alone and named so. Every figure's subtitle says how its values were averaged.
/// Panels share their axes; <c>shareY: false</c> gives each panel its own y range. <c>logY</c> puts the y axis on a
/// log scale; <c>yFromEpoch</c> fits the y range to what is drawn from that epoch on (the paper's figures leave out
/// the first epochs' drop).
/// </summary>
public static class Plot
{
    /// <summary>Batch loss averaged over windows of <paramref name="plotEvery"/> steps (paper figures 4, 19, 21, 22).</summary>
    public static Figure Loss(Results results, int plotEvery = 10, string? panels = null, string? series = null,
        string? title = null, string? rows = null, int wrap = 3, bool logY = false, int? yFromEpoch = null, bool shareY = true) =>
        Lines(results, "loss", plotEvery, panels, series, title ?? "batch loss", rows: rows, wrap: wrap, logY: logY, yFromEpoch: yFromEpoch, shareY: shareY);

    /// <summary>Any per-step column (a probe such as m_norm or g_dot_tracked), averaged over plotEvery steps against the
    /// epoch; <paramref name="epochs"/> restricts the x range to [first, last] epochs (e.g. 4..6 for figure 11).
    /// <paramref name="smoothing"/> &lt; 1 smooths the window means as the paper's BERT plots (its smoothing_coeff c:
    /// avg = (1 - c) avg + c mean, from the first mean).</summary>
    public static Figure Lines(Results results, string column, int plotEvery = 1, string? panels = null,
        string? series = null, string? title = null, (int First, int Last)? epochs = null, double smoothing = 1,
        string? rows = null, int wrap = 3, bool logY = false, int? yFromEpoch = null, bool shareY = true)
    {
        if (plotEvery < 1) throw new ArgumentOutOfRangeException(nameof(plotEvery), plotEvery, "plot_every must be >= 1: use 1 for every step, or e.g. 10");
        if (!(smoothing > 0 && smoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "the smoothing coefficient must be in (0, 1]: 1 (none) or e.g. 0.75 (the paper's BERT-tiny)");
        results.RequireStepColumn(column);
        var runs = Faceted(results.Where(r => r.StepColumnNames.Contains(column)), panels, rows, series); // logged runs' tags differ
        bool nonNegative = runs.All(r => !r.StepColumnNames.Contains(column) || r.Column(column).All(v => !(v < 0)));
        (double[] X, double[] Y) Curve(RunRecord r)
        {
            double perEpoch = r.Description.StepsPerEpoch;
            var values = r.Column(column);
            int from = epochs is { } e ? Math.Min(values.Length, (int)(e.First * perEpoch)) : 0;
            int to = epochs is { } f ? Math.Min(values.Length, (int)((f.Last + 1) * perEpoch)) : values.Length;
            var means = Smoothing.PlotEvery(values[from..to], plotEvery);
            if (smoothing < 1) means = Smoothing.Exponential(means, 1 - smoothing);
            return (means.Select((_, k) => (from + k * plotEvery) / perEpoch).ToArray(), means);
        }
        var averaged = $"{column}: mean of each {plotEvery} steps (plot_every = {plotEvery}), " +
            (smoothing < 1 ? $"smoothed with c = {Show(smoothing)}" : "no smoothing");
        return Draw(runs, title ?? column, averaged, panels, rows, series, wrap, Curve, nonNegative, markers: false,
            new Axis("epoch", Epochs: true), new Axis(column, logY), yFromEpoch, shareY);
    }

    /// <summary>An epoch-end column (full_loss, a network's val_loss or val_accuracy) against the epoch it ended (0-based,
    /// as epochs.csv).</summary>
    public static Figure Epochs(Results results, string column, string? series = null, string? title = null, string? panels = null,
        string? rows = null, int wrap = 3, bool logY = false, int? yFromEpoch = null, bool shareY = true)
    {
        var recorded = results.RunRecords.Where(r => r.EpochColumnNames.Contains(column)).ToList();
        if (recorded.Count == 0)
            throw new ArgumentException($"no run recorded an epoch column \"{column}\"; epochs.csv has: " +
                string.Join(", ", results.RunRecords.SelectMany(r => r.EpochColumnNames).Distinct().DefaultIfEmpty("(no epoch columns)")) +
                ". full_loss needs Probes.EpochEndFullLoss; val_loss and val_accuracy a Network with validation examples");
        var runs = Faceted(results.Where(recorded.Contains), panels, rows, series);
        bool nonNegative = runs.All(r => r.EpochColumn(column).All(v => !(v < 0)));
        (double[] X, double[] Y) Curve(RunRecord r) => (r.EpochColumn(column).Select((_, e) => (double)e).ToArray(), r.EpochColumn(column));
        return Draw(runs, title ?? $"{column} after each epoch", $"{column} at the end of each epoch", panels, rows, series, wrap, Curve,
            nonNegative, markers: true, new Axis("epoch", Epochs: true), new Axis(column, logY), yFromEpoch, shareY);
    }

    /// <summary>
    /// A runs metric (sawtooth_index, final_loss, loss_spikes, ...) against a numeric setting <paramref name="x"/>: the mean
    /// over runs that share it (e.g. seeds), with the sample standard deviation as error bars, one curve per legend entry.
    /// Diverged and exploded runs are left out of the means (see <see cref="GroupStats"/>).
    /// </summary>
    public static Figure Metric(Results results, string x, string metric = "sawtooth_index", string? series = null,
        string? title = null, bool logX = false, string? panels = null, string? rows = null, int wrap = 3, bool logY = false)
    {
        var runs = Faceted(results, panels, rows, series, x);
        var values = GroupStats.MetricValues(results, metric);
        var value = results.RunRecords.Select((r, i) => (r, v: values[i])).ToDictionary(p => p.r, p => p.v, ReferenceEqualityComparer.Instance as IEqualityComparer<RunRecord>);
        double Number(RunRecord r) => double.TryParse(r.Setting(x), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"Plot.Metric's x must be a number setting, but run {r.Run} has {x} = {r.Setting(x)}: give x a numeric setting such as lr or beta2, or use series for this one");
        foreach (var r in runs) Number(r);
        var legend = new Legend(runs, [panels, rows, x], series, Facets(panels, rows));
        IEnumerable<(Scatter, bool)> Cell(IReadOnlyList<RunRecord> group, string name)
        {
            var points = group.GroupBy(Number).OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Stats: GroupStats.Of(g.Where(r => r.Status == RunStatus.Completed).Select(r => value[r])))).ToList();
            yield return (new Scatter
            {
                x = points.Select(p => p.X).ToArray(), y = points.Select(p => p.Stats.Mean).ToArray(), name = name, mode = "lines+markers",
                error_y = new Error_y { type = "data", array = points.Select(p => double.IsNaN(p.Stats.Std) ? 0 : p.Stats.Std).ToArray(), visible = true },
            }, true);
        }
        var drawing = FacetGrid.Draw(runs, panels, rows, series, wrap, legend, Cell, new Axis(x, logX), new Axis(metric, logY), yFrom: null);
        return new Figure(title ?? $"{metric} against {x}", drawing,
            $"{metric}: mean +- sample sd over the runs that share {x} (diverged and exploded runs left out)");
    }

    /// <summary>The runs, once every facet setting is checked to be a setting of each of them.</summary>
    static IReadOnlyList<RunRecord> Faceted(Results results, params string?[] settings)
    {
        var runs = results.RunRecords;
        if (runs.Count == 0) throw new ArgumentException("there are no runs to plot: Run some experiments first");
        foreach (var setting in settings.OfType<string>())
            if (runs.FirstOrDefault(r => r.Setting(setting) is null) is { } lacking)
                throw new ArgumentException($"cannot facet by \"{setting}\": run {lacking.Run} has no such setting; settings: " +
                    string.Join(", ", ColumnOrder.Settings(runs)));
        return runs;
    }

    /// <summary>A curve per run of each legend entry, or their mean +- sd over seeds when all completed (the band clipped
    /// at 0 for a quantity that never goes below it).</summary>
    static Figure Draw(IReadOnlyList<RunRecord> runs, string title, string averaged, string? panels, string? rows, string? series, int wrap,
        Func<RunRecord, (double[] X, double[] Y)> curve, bool nonNegative, bool markers, Axis x, Axis y, int? yFromEpoch, bool shareY)
    {
        var legend = new Legend(runs, [panels, rows], series, Facets(panels, rows));
        var banded = new SortedSet<int>();
        string mode = markers ? "lines+markers" : "lines";
        IEnumerable<(Scatter, bool)> Cell(IReadOnlyList<RunRecord> group, string name)
        {
            if (group.Count > 1 && group.All(r => r.Status == RunStatus.Completed))
            {
                banded.Add(group.Count);
                var curves = group.Select(curve).ToList();
                int n = curves.Min(c => c.Y.Length);
                var mean = Enumerable.Range(0, n).Select(i => curves.Average(c => c.Y[i])).ToArray();
                var sd = Enumerable.Range(0, n).Select(i => Math.Sqrt(curves.Sum(c => (c.Y[i] - mean[i]) * (c.Y[i] - mean[i])) / (curves.Count - 1))).ToArray();
                var xs = curves[0].X[..n];
                var lower = mean.Zip(sd, (m, s) => nonNegative ? Math.Max(0, m - s) : m - s).ToArray();
                yield return (new Scatter { x = xs, y = mean.Zip(sd, (m, s) => m + s).ToArray(), mode = "lines", line = new Line { width = 0 }, name = name, hoverinfo = "skip" }, false);
                yield return (new Scatter { x = xs, y = lower, mode = "lines", line = new Line { width = 0 }, fill = "tonexty", name = name, hoverinfo = "skip" }, false);
                yield return (new Scatter { x = xs, y = mean, mode = mode, name = name }, true);
                yield break;
            }
            foreach (var r in group)
            {
                var (xs, ys) = curve(r);
                yield return (new Scatter { x = xs, y = ys, mode = mode, name = name + (group.Count > 1 ? $", seed = {r.Description.Seed}" : "") + StatusNote(r) }, true);
            }
        }
        var drawing = FacetGrid.Draw(runs, panels, rows, series, wrap, legend, Cell, x, y, yFromEpoch, shareY);
        var bands = banded.Count == 0 ? "" : $"; bands: mean +- sd over {string.Join(" or ", banded)} seeds";
        var cut = yFromEpoch is int from ? $"; y range from epoch {from}" : "";
        return new Figure(title, drawing, averaged + bands + cut);
    }

    static IReadOnlyList<string> Facets(params string?[] settings) => settings.OfType<string>().ToList();

    static string StatusNote(RunRecord r) => r.Status == RunStatus.Completed ? "" : $" ({r.Status.ToString().ToLowerInvariant()})";

    static string Show(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
