using System.Net;
using System.Reflection;
using XPlot.Plotly;

namespace Esp;

/// <summary>
/// A page of XPlot.Plotly charts (one per panel). Its HTML inlines a pinned plotly.js 2.35.3 instead of
/// XPlot's CDN link, so the page draws with the network off; 2.x keeps XPlot's string titles.
/// </summary>
public sealed class Figure(string title, IReadOnlyList<PlotlyChart> panels)
{
    public string Title { get; } = title;
    public IReadOnlyList<PlotlyChart> Panels { get; } = panels;

    static readonly Lazy<string> PlotlyJs = new(() =>
    {
        using var stream = typeof(Figure).Assembly.GetManifestResourceStream("plotly.min.js")
            ?? throw new InvalidOperationException("plotly.min.js is missing from Esp.Core's resources");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>This figure's panels followed by <paramref name="other"/>'s, on one page.</summary>
    public Figure And(Figure other) => new(Title, [.. Panels, .. other.Panels]);

    public string ToHtml()
    {
        var charts = string.Join("\n", Panels.Select(p => p.GetInlineHtml()));
        return $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(Title)}</title>
            <script>{PlotlyJs.Value}</script></head>
            <body><h2 style="font-family:sans-serif">{WebUtility.HtmlEncode(Title)}</h2>
            {charts}
            </body></html>
            """;
    }

    /// <summary>Writes NAME.html (atomically); a relative name goes into <see cref="OutputFolder.Current"/>.</summary>
    public string Save(string name)
    {
        var path = OutputFolder.Resolve(name.EndsWith(".html", StringComparison.Ordinal) ? name : name + ".html");
        AtomicFile.WriteText(path, ToHtml());
        return path;
    }
}
