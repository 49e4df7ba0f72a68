using System.Globalization;

namespace Esp;

/// <summary>Printed summaries of a set of runs.</summary>
public static class Report
{
    static readonly string[] Metrics = ["final_loss", "sawtooth_index", "rise_index", "amplitude"];

    /// <summary>
    /// One line per run: the settings that differ between runs (across optimizer types: a setting a run lacks shows
    /// "-"), then final loss and the ESP metrics, with a spike rule loss_spikes and spike_score, and "diverged" or "exploded" (runs.csv holds them all). Written to <paramref name="writer"/> (stdout by default) and returned.
    /// </summary>
    public static string Summary(Results results, TextWriter? writer = null)
    {
        var runs = results.RunRecords;
        var varying = RunRecord.VaryingSettings(runs);
        var metrics = results.SpikeRule is null ? Metrics : [.. Metrics, "loss_spikes", "spike_score"];
        var header = new[] { "run" }.Concat(varying).Concat(metrics).ToList();
        var rows = runs.Select((r, i) => (Run: r, Values: results.RunValues(i))).Select(p => new[] { p.Run.Run.ToString(CultureInfo.InvariantCulture) }
            .Concat(varying.Select(c => p.Run.Setting(c) ?? "-"))
            .Concat(metrics.Select(m => Cell(p.Values[m])))
            .Append(p.Run.Status == RunStatus.Completed ? "" : p.Run.Status.ToString().ToLowerInvariant())
            .ToList()).ToList();
        var widths = header.Select((h, k) => Math.Max(h.Length, rows.Max(row => row[k].Length))).ToList();
        string Line(IEnumerable<string> cells) =>
            string.Join("  ", cells.Select((c, k) => k < widths.Count ? c.PadLeft(widths[k]) : c)).TrimEnd();
        var text = string.Join(Environment.NewLine, new[] { Line(header) }.Concat(rows.Select(Line))) + Environment.NewLine;
        (writer ?? Console.Out).Write(text);
        return text;
    }

    static string Cell(object? v) => v switch
    {
        int count => count.ToString(CultureInfo.InvariantCulture),
        double d when !double.IsNaN(d) => d.ToString("F4", CultureInfo.InvariantCulture),
        _ => "-",
    };
}
