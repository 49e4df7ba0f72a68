using XPlot.Plotly;

namespace Esp;

/// <summary>One named curve of a chart: a line, with <paramref name="Markers"/> at its points; without <paramref name="Line"/>
/// the points alone (marked steps such as spikes).</summary>
public sealed record Curve(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Markers = false, bool Line = true);

/// <summary>Single-chart figures from plain arrays, for what is not a per-step column of a run
/// (histograms, summaries over runs, the 3-D toy of figure 16). Combine figures with <see cref="Figure.And"/>.</summary>
public static class Charts
{
    /// <summary>Line chart; <paramref name="verticalLines"/> draws dotted markers such as epoch boundaries;
    /// <paramref name="logAxes"/> puts both axes on a log scale (power laws become straight lines).</summary>
    public static Figure Lines(string title, string xTitle, string yTitle, IEnumerable<Curve> curves,
        IEnumerable<double>? verticalLines = null, bool logAxes = false)
    {
        var traces = curves.Select((c, k) => new Scatter
        {
            x = c.X.ToArray(), y = c.Y.ToArray(), name = c.Name, mode = !c.Line ? "markers" : c.Markers ? "lines+markers" : "lines",
            line = new Line { color = Palette.Colour(k) }, marker = new Marker { color = Palette.Colour(k) },
        });
        return new Figure(title, Drawing.Of(traces, new Layout.Layout
        {
            xaxis = new Xaxis { title = xTitle, type = logAxes ? "log" : "-" }, yaxis = new Yaxis { title = yTitle, type = logAxes ? "log" : "-" },
            shapes = (verticalLines ?? []).Select(x => new Shape
            {
                type = "line", xref = "x", x0 = x, x1 = x, yref = "paper", y0 = 0, y1 = 1,
                line = new Line { dash = "dot", color = "grey", width = 1 },
            }).ToArray(),
        }, height: 420));
    }

    public static Figure Histogram(string title, string xTitle, IEnumerable<(string Name, IReadOnlyList<double> Values)> groups, int bins = 30)
    {
        return new Figure(title, Drawing.Of(groups.Select(g => new Histogram { x = g.Values.ToArray(), name = g.Name, nbinsx = bins, opacity = 0.6 }),
            new Layout.Layout { barmode = "overlay", xaxis = new Xaxis { title = xTitle }, yaxis = new Yaxis { title = "count" } }, height: 420));
    }

    /// <summary>Heat map of z[row][column] with the given row (y) and column (x) labels; each cell prints its value
    /// (<paramref name="format"/>), a missing one (NaN: no run counted) "-".</summary>
    public static Figure Heatmap(string title, string xTitle, IReadOnlyList<string> x, string yTitle, IReadOnlyList<string> y,
        double[][] z, string format = "F3")
    {
        var finite = z.SelectMany(row => row).Where(double.IsFinite).ToList();
        double middle = finite.Count > 0 ? (finite.Min() + finite.Max()) / 2 : 0;
        return new Figure(title, Drawing.Of([new Heatmap { x = x.ToArray(), y = y.ToArray(), z = z, colorscale = "Viridis" }], new Layout.Layout
        {
            xaxis = new Xaxis { title = xTitle, type = "category" }, yaxis = new Yaxis { title = yTitle, type = "category" },
            annotations = y.SelectMany((row, i) => x.Select((column, j) => new Annotation
            {
                x = column, y = row, showarrow = false,
                text = double.IsFinite(z[i][j]) ? z[i][j].ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-",
                font = new Font { color = double.IsFinite(z[i][j]) && z[i][j] > middle ? "black" : "white" }, // Viridis: dark low, light high
            })).ToArray(),
        }, height: 480));
    }

    /// <summary>A path through 3-D points, with markers.</summary>
    public static Figure Path3D(string title, string name, IReadOnlyList<(double X, double Y, double Z)> points)
    {
        return new Figure(title, Drawing.Of([new Scatter3d
        {
            x = points.Select(p => p.X).ToArray(), y = points.Select(p => p.Y).ToArray(), z = points.Select(p => p.Z).ToArray(),
            mode = "lines+markers", name = name, marker = new Marker { size = 3 },
        }], new Layout.Layout(), height: 600));
    }
}
