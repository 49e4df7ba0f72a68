namespace Esp;

/// <summary>
/// Distinct colours for series, assigned in order (plotly's default cycle repeats after 10): the 20 of Tableau's
/// palette, darker tones first, then a few more; a band takes its line's colour, translucent.
/// </summary>
static class Palette
{
    static readonly string[] Colours =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
        "#393b79", "#637939", "#8c6d31", "#843c39",
    ];

    public static string Colour(int k) => Colours[k % Colours.Length];

    /// <summary>The colour at opacity <paramref name="alpha"/>, as rgba().</summary>
    public static string Translucent(int k, double alpha = 0.2)
    {
        var hex = Colour(k);
        int Channel(int at) => Convert.ToInt32(hex.Substring(at, 2), 16);
        return FormattableString.Invariant($"rgba({Channel(1)},{Channel(3)},{Channel(5)},{alpha})");
    }
}
