using System.Globalization;
using Newtonsoft.Json.Linq;
using XPlot.Plotly;

namespace Esp;

/// <summary>An axis of a faceted figure: its title, log or linear, and whether its values are epochs (ticks thinned to
/// whole epochs).</summary>
sealed record Axis(string Title, bool Log = false, bool Epochs = false);

/// <summary>
/// Facets as seaborn's relplot and Plotly Express lay them out: one panel per value of <c>panels</c>, wrapping into
/// balanced rows of at most <c>wrap</c> (or one row per value of <c>rows</c>), all in one drawing with one legend, at the page's
/// width; panels share their axes (the y axis unless <c>shareY</c> is false). In every panel, the runs of one legend entry (<see cref="Legend"/>) are drawn by
/// <c>cell</c>; their colour is the entry's value of <c>series</c> (the whole entry without one), the same in every
/// panel, and the other named settings set the dash.
/// </summary>
static class FacetGrid
{
    const double GapX = 0.06, GapY = 0.14;
    const int RowHeight = 300;
    static readonly string[] Dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

    public static Drawing Draw(IReadOnlyList<RunRecord> runs, string? panels, string? rows, string? series, int wrap, Legend legend,
        Func<IReadOnlyList<RunRecord>, string, IEnumerable<(Scatter Trace, bool InLegend)>> cell, Axis x, Axis y, int? yFrom, bool shareY = true)
    {
        if (wrap < 1) throw new ArgumentOutOfRangeException(nameof(wrap), wrap, "panels wrap after at least 1 column: use e.g. 3");
        var panelValues = Values(runs, panels);
        var rowValues = Values(runs, rows);
        // at most wrap columns, the rows balanced (four panels are 2 x 2, not 3 + 1)
        int columns = rows is null ? (int)Math.Ceiling(panelValues.Count / Math.Ceiling(panelValues.Count / (double)wrap)) : panelValues.Count;
        int gridRows = rows is null ? (panelValues.Count + columns - 1) / columns : rowValues.Count;
        var entries = runs.Select(legend.Entry).Distinct().ToList();
        var dashes = runs.Select(r => DashKey(r, legend, series)).Distinct().ToList();

        var traces = new List<JObject>();
        var seriesKeys = new List<string?>();
        var shown = new HashSet<string>();
        var layout = new JObject();
        var titles = new JArray();
        double width = (1 - GapX * (columns - 1)) / columns, height = (1 - GapY * (gridRows - 1)) / gridRows;
        double xMax = 0;
        var cells = rows is null
            ? panelValues.Select((p, k) => (Row: k / columns, Column: k % columns, Panel: p, RowValue: (string?)null))
            : rowValues.SelectMany((v, i) => panelValues.Select((p, j) => (Row: i, Column: j, Panel: p, RowValue: (string?)v)));
        foreach (var (i, j, panel, rowValue) in cells.ToList())
        {
            int k = i * columns + j + 1;
            string suffix = k == 1 ? "" : k.ToString(CultureInfo.InvariantCulture);
            var facetTitle = string.Join(", ", new[] { (rows, rowValue), (panels, panel) }.Where(f => f.Item1 is not null).Select(f => $"{f.Item1} = {f.Item2}"));
            var members = runs.Where(r => (panels is null || r.Setting(panels) == panel) && (rows is null || r.Setting(rows) == rowValue)).ToList();
            foreach (var entry in entries)
            {
                var group = members.Where(r => legend.Entry(r) == entry).ToList();
                if (group.Count == 0) continue;
                string name = entry != "" ? entry : facetTitle != "" ? facetTitle : y.Title; // a run lacking every named setting: its panel's
                string colour = series is null ? name : $"{series} = {group[0].Setting(series)}";
                string dash = Dashes[dashes.IndexOf(DashKey(group[0], legend, series)) % Dashes.Length];
                foreach (var (scatter, inLegend) in cell(group, name))
                {
                    var trace = Drawing.ToJson(scatter);
                    trace["xaxis"] = "x" + suffix;
                    trace["yaxis"] = "y" + suffix;
                    trace["legendgroup"] = name; // one click on the entry hides it in every panel
                    trace["showlegend"] = inLegend && shown.Add((string)trace["name"]!); // one legend entry per name, not per panel
                    if (inLegend) (trace["line"] ??= new JObject())["dash"] = dash;
                    xMax = Math.Max(xMax, trace["x"]!.Values<double>().DefaultIfEmpty(0).Max());
                    traces.Add(trace);
                    seriesKeys.Add(colour);
                }
            }
            double x0 = j * (width + GapX), y1 = 1 - i * (height + GapY);
            bool bottom = rows is null ? (i + 1) * columns + j >= panelValues.Count : i == gridRows - 1;
            layout["xaxis" + suffix] = AxisJson(x, [x0, x0 + width], "y" + suffix, k, bottom ? x.Title : null, "x");
            layout["yaxis" + suffix] = AxisJson(y, [y1 - height, y1], "x" + suffix, shareY ? k : 1, j == 0 || !shareY ? y.Title : null, "y");
            var title = string.Join(", ", new[] { facetTitle }.Where(t => t != "").Concat(legend.PerPanel.Select(c => (Name: c, Value: members.Select(r => r.Setting(c)).FirstOrDefault(v => v is not null)))
                    .Where(s => s.Value is not null).Select(s => $"{s.Name} = {s.Value}")));
            if (title != "")
                titles.Add(new JObject { ["text"] = title, ["showarrow"] = false, ["xref"] = "paper", ["yref"] = "paper", ["x"] = x0 + width / 2,
                    ["y"] = y1, ["xanchor"] = "center", ["yanchor"] = "bottom", ["font"] = new JObject { ["size"] = 13 } });
        }
        foreach (var (name, axis) in layout.Properties().Where(p => p.Name.StartsWith("yaxis", StringComparison.Ordinal)).Select(p => (p.Name, (JObject)p.Value)).ToList())
        {
            var drawn = shareY ? traces : traces.Where(t => "yaxis" + ((string)t["yaxis"]!)[1..] == name);
            if (yFrom is int from && RangeFrom(drawn, from, y.Log) is var (low, high))
                axis["range"] = y.Log ? new JArray(Math.Log10(low), Math.Log10(high)) : new JArray(low, high);
        }
        if (x.Epochs)
            foreach (var axis in layout.Properties().Where(p => p.Name.StartsWith("xaxis", StringComparison.Ordinal)))
                ((JObject)axis.Value)["dtick"] = EpochTick(xMax, columns);
        layout["annotations"] = titles;
        layout["margin"] = new JObject { ["t"] = 30, ["b"] = 50, ["l"] = 60, ["r"] = 20 };
        layout["legend"] = new JObject { ["tracegroupgap"] = 2 };
        return new Drawing(traces, layout, gridRows * RowHeight + 80, seriesKeys);
    }

    static List<string?> Values(IReadOnlyList<RunRecord> runs, string? setting) =>
        setting is null ? [null] : runs.Select(r => r.Setting(setting)).Distinct().ToList();

    /// <summary>With a series setting, the other named settings (the dash tells them apart); without one, the colour does.</summary>
    static string DashKey(RunRecord r, Legend legend, string? series) =>
        series is null ? "" : string.Join(", ", legend.Settings.Where(c => c != series).Select(c => r.Setting(c)));

    static JObject AxisJson(Axis axis, double[] domain, string anchor, int k, string? title, string letter)
    {
        var json = new JObject
        {
            ["domain"] = new JArray(domain), ["anchor"] = anchor, ["showgrid"] = true, ["automargin"] = true,
            ["type"] = axis.Log ? "log" : "linear", ["nticks"] = 6,
        };
        if (title is not null) json["title"] = new JObject { ["text"] = title };
        if (k > 1) json["matches"] = letter; // shared axes, as relplot's and Plotly Express's panels
        return json;
    }

    /// <summary>The y range of what is drawn from epoch <paramref name="from"/> on, with a margin of 5 % (of the decades on
    /// a log axis); null when nothing is drawn there.</summary>
    static (double, double)? RangeFrom(IEnumerable<JObject> traces, int from, bool log)
    {
        var ys = traces.SelectMany(t => t["x"]!.Values<double>().Zip(t["y"]!.Values<double>()))
            .Where(p => p.First >= from && double.IsFinite(p.Second) && (!log || p.Second > 0)).Select(p => log ? Math.Log10(p.Second) : p.Second).ToList();
        if (ys.Count == 0) return null;
        double low = ys.Min(), high = ys.Max(), margin = Math.Max(high - low, 1e-12) * 0.05;
        return log ? (Math.Pow(10, low - margin), Math.Pow(10, high + margin)) : (low - margin, high + margin);
    }

    /// <summary>Whole epochs between ticks, a 1-2-5 step that leaves at most about 12 ticks across the page's width.</summary>
    static double EpochTick(double epochs, int columns)
    {
        double most = Math.Max(5, 12 / columns);
        foreach (var magnitude in new[] { 1.0, 10, 100, 1000, 10_000 })
            foreach (var step in new[] { 1.0, 2, 5 })
                if (epochs / (step * magnitude) <= most) return step * magnitude;
        return 100_000;
    }
}
