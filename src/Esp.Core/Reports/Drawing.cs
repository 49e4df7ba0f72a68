using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using XPlot.Plotly;

namespace Esp;

/// <summary>
/// One plotly drawing on a page: XPlot traces and a layout (JSON, so that a faceted figure can have as many axes as
/// panels, which XPlot's Layout type cannot), at the page's full width. <paramref name="Series"/> names, per trace, the
/// series value it draws (null: the trace keeps its own colour): the page gives each value one colour across every
/// drawing (<see cref="SeriesColours"/>).
/// </summary>
sealed record Drawing(IReadOnlyList<JObject> Traces, JObject Layout, int Height, IReadOnlyList<string?> Series)
{
    static readonly JsonSerializer Json = JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore });

    /// <summary>An XPlot trace or layout as plotly's JSON (XPlot writes only the properties that were set).</summary>
    public static JObject ToJson(object xplot) => JObject.FromObject(xplot, Json);

    /// <summary>A drawing of traces coloured by themselves, with an XPlot layout.</summary>
    public static Drawing Of(IEnumerable<Trace> traces, Layout.Layout layout, int height)
    {
        var list = traces.Select(ToJson).ToList();
        return new Drawing(list, ToJson(layout), height, list.Select(_ => (string?)null).ToList());
    }

    /// <summary>The div and the script that draws it into the div, with series coloured from <paramref name="colours"/>.</summary>
    public string Html(string id, SeriesColours colours)
    {
        var data = new JArray(Traces.Select((t, k) => Coloured((JObject)t.DeepClone(), Series[k], colours)));
        var layout = (JObject)Layout.DeepClone();
        layout.Remove("height");
        layout["height"] = Height;
        layout["autosize"] = true;
        return $"<div id=\"{id}\" class=\"esp-drawing\" style=\"width:100%;height:{Height}px\"></div>\n" +
               $"<script>Plotly.newPlot(\"{id}\", {data.ToString(Formatting.None)}, {layout.ToString(Formatting.None)}, {{\"responsive\": true}});</script>";
    }

    static JObject Coloured(JObject trace, string? series, SeriesColours colours)
    {
        if (series is null) return trace;
        int k = colours.Of(series);
        if (trace["fill"] is not null) trace["fillcolor"] = Palette.Translucent(k);
        (trace["line"] ??= new JObject())["color"] = Palette.Colour(k);
        (trace["marker"] ??= new JObject())["color"] = Palette.Colour(k);
        if (trace["error_y"] is JObject error) error["color"] = Palette.Colour(k);
        return trace;
    }
}

/// <summary>One colour per series value across a page, in the order the values are first drawn.</summary>
sealed class SeriesColours
{
    readonly Dictionary<string, int> assigned = [];

    public int Of(string series) => assigned.TryGetValue(series, out var k) ? k : assigned[series] = assigned.Count;
}
