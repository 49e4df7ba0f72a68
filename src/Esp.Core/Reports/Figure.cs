using System.Net;

namespace Esp;

/// <summary>
/// A page of plotly drawings: a figure is one section (a title, a subtitle saying how its values were made, its
/// drawings), and figures joined with <see cref="And"/> are sections of one page, each value of a series drawn in one
/// colour throughout. The HTML inlines a pinned plotly.js 2.35.3 instead of a CDN link, so the page draws with the
/// network off.
/// </summary>
public sealed class Figure
{
    readonly IReadOnlyList<Section> sections;

    sealed record Section(string Title, string? Subtitle, IReadOnlyList<Drawing> Drawings);

    internal Figure(string title, Drawing drawing, string? subtitle = null) : this(title, [new Section(title, subtitle, [drawing])]) { }

    Figure(string title, IReadOnlyList<Section> sections) => (Title, this.sections) = (title, sections);

    public string Title { get; }

    /// <summary>Every section's title, in order (one for a figure that was not joined).</summary>
    public IReadOnlyList<string> SectionTitles => sections.Select(s => s.Title).ToList();

    /// <summary>Every section's subtitle, in order (how its values were averaged and smoothed; null where none).</summary>
    public IReadOnlyList<string?> Subtitles => sections.Select(s => s.Subtitle).ToList();

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
        int drawn = 0;
        var colours = new SeriesColours();
        var body = string.Join("\n", sections.Select((s, k) =>
            (k == 0 ? "" : $"<h3 style=\"font-family:sans-serif\">{WebUtility.HtmlEncode(s.Title)}</h3>\n") +
            (s.Subtitle is null ? "" : $"<p class=\"subtitle\" style=\"font-family:sans-serif;color:#555;margin:0\">{WebUtility.HtmlEncode(s.Subtitle)}</p>\n") +
            string.Join("\n", s.Drawings.Select(d => d.Html($"panel-{drawn++}", colours)))));
        void Text(string value) => stream.Write(System.Text.Encoding.UTF8.GetBytes(value));
        Text($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(Title)}</title>\n<script>");
        using (var plotly = PlotlyJs()) plotly.CopyTo(stream);
        Text($"</script></head>\n<body><h2 style=\"font-family:sans-serif\">{WebUtility.HtmlEncode(Title)}</h2>\n{body}\n</body></html>\n");
    }

    /// <summary>Writes NAME.html (atomically); a relative name goes into <see cref="OutputFolder.Current"/>. With
    /// <paramref name="images"/> (null: as the script's command line says, <c>--images</c>) also NAME.svg and NAME.png
    /// of each drawing, drawn by headless Chromium from the page (<see cref="PageImages"/>).</summary>
    public string Save(string name, bool? images = null)
    {
        var path = OutputFolder.Resolve(name.EndsWith(".html", StringComparison.Ordinal) ? name : name + ".html");
        AtomicFile.Write(path, Write);
        if (images ?? PageImages.Wanted) PageImages.Write(path);
        return path;
    }
}
