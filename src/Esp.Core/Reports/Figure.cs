using System.Net;
using System.Reflection;
using XPlot.Plotly;

namespace Esp;

/// <summary>
/// A page of XPlot.Plotly charts (one per panel). Its HTML inlines a pinned plotly.js 2.35.3 instead of
/// XPlot's CDN link, so the page draws with the network off; 2.x keeps XPlot's string titles. Figures joined
/// with <see cref="And"/> keep their own titles as section headings.
/// </summary>
public sealed class Figure
{
    readonly IReadOnlyList<(string Title, IReadOnlyList<PlotlyChart> Panels)> sections;

    public Figure(string title, IReadOnlyList<PlotlyChart> panels) : this(title, [(title, panels)]) { }

    Figure(string title, IReadOnlyList<(string, IReadOnlyList<PlotlyChart>)> sections) => (Title, this.sections) = (title, sections);

    public string Title { get; }
    public IReadOnlyList<PlotlyChart> Panels => sections.SelectMany(s => s.Panels).ToList();

    /// <summary>Every section's title, in order (one for a figure that was not joined).</summary>
    public IReadOnlyList<string> SectionTitles => sections.Select(s => s.Title).ToList();

    static System.IO.Stream PlotlyJs() => typeof(Figure).Assembly.GetManifestResourceStream("plotly.min.js")
        ?? throw new InvalidOperationException("plotly.min.js is missing from Esp.Core's resources");

    /// <summary>This figure's sections followed by <paramref name="other"/>'s, on one page titled as this one.</summary>
    public Figure And(Figure other) => new(Title, [.. sections, .. other.sections]);

    public string ToHtml()
    {
        using var text = new MemoryStream();
        Write(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    /// <summary>The page as UTF-8: plotly.js is copied from the resource as bytes (4.5 MB), not decoded into a string.</summary>
    void Write(System.IO.Stream stream)
    {
        int panel = 0;
        string Inline(PlotlyChart chart)
        {
            chart.Id = $"panel-{panel++}"; // XPlot draws a random id: numbered, the same figure gives the same page
            return chart.GetInlineHtml();
        }
        var charts = string.Join("\n", sections.Select((s, k) =>
            (k == 0 ? "" : $"<h3 style=\"font-family:sans-serif\">{WebUtility.HtmlEncode(s.Title)}</h3>\n") +
            string.Join("\n", s.Panels.Select(Inline))));
        void Text(string value) => stream.Write(System.Text.Encoding.UTF8.GetBytes(value));
        Text($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(Title)}</title>\n<script>");
        using (var plotly = PlotlyJs()) plotly.CopyTo(stream);
        Text($"</script></head>\n<body><h2 style=\"font-family:sans-serif\">{WebUtility.HtmlEncode(Title)}</h2>\n{charts}\n</body></html>\n");
    }

    /// <summary>Writes NAME.html (atomically); a relative name goes into <see cref="OutputFolder.Current"/>.</summary>
    public string Save(string name)
    {
        var path = OutputFolder.Resolve(name.EndsWith(".html", StringComparison.Ordinal) ? name : name + ".html");
        AtomicFile.Write(path, Write);
        return path;
    }
}
