using System.Globalization;

namespace Esp.Core.Tests;

/// <summary>The presets against the steps each source's own code flags in the fixture series (Fixtures/spikes/README.md).</summary>
public sealed class SpikeSourceTests
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "spikes");

    static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A fixture series and, by source column, the steps that source flagged.</summary>
    static (double[] Series, Func<string, int[]> Flags) Load(string name)
    {
        var rows = File.ReadAllLines(Path.Combine(Folder, name + ".csv"));
        var header = rows[0].Split(',');
        var cells = rows.Skip(1).Select(r => r.Split(',')).ToArray();
        return (cells.Select(c => Parse(c[1])).ToArray(),
                source => cells.Where(c => c[Array.IndexOf(header, source)] == "1").Select(c => int.Parse(c[0])).ToArray());
    }

    static string[] Summary(string name) => File.ReadAllLines(Path.Combine(Folder, "summary.csv")).Select(r => r.Split(',')).Single(c => c[0] == name);

    public static TheoryData<string> Series => new("decay_spikes", "random_walk", "nonfinite", "ties");

    [Theory, MemberData(nameof(Series))]
    public void OlmoCore_flags_the_steps_and_reports_the_spike_score_of_OLMo_cores_StabilityMonitorCallback(string name)
    {
        var (series, flags) = Load(name);
        var rule = ZScoreRule.OlmoCore;
        Assert.Equal(flags("olmo_core"), rule.Detect(series).Select(s => s.Step));
        Assert.Equal(Parse(Summary(name)[2]), rule.Score(series));
    }

    [Theory, MemberData(nameof(Series))]
    public void LightningRule_flags_the_steps_Lightnings_SpikeDetection_flags(string name)
    {
        var (series, flags) = Load(name);
        Assert.Equal(flags("lightning"), LightningRule.SpikeDetection.Detect(series).Select(s => s.Step));
    }

    [Theory, MemberData(nameof(Series))]
    public void LlmFoundry_flags_the_steps_llm_foundrys_KillLossSpike_counts_as_outliers(string name)
    {
        var (series, flags) = Load(name);
        var rule = RelativeRule.LlmFoundry(plannedSteps: series.Length);
        Assert.Equal(int.Parse(Summary(name)[3]), rule.Window);
        Assert.Equal(flags("llm_foundry"), rule.Detect(series).Select(s => s.Step));
    }

    [Fact]
    public void The_fixtures_hold_non_finite_values_and_ties_and_the_sources_disagree_on_them()
    {
        var (series, flags) = Load("nonfinite");
        Assert.Contains(series, double.IsNaN);
        Assert.Contains(series, double.IsPositiveInfinity);
        Assert.Contains(series, double.IsNegativeInfinity);
        var (ties, tieFlags) = Load("ties");
        Assert.Equal(2.0, ties[200]); // twice a constant window of ones: llm-foundry's tie
        Assert.Contains(200, tieFlags("llm_foundry"));
        Assert.DoesNotContain(200, tieFlags("lightning"));
        Assert.Equal(8.0, ties[800]); // exactly 6 population sd over a window of alternating 1 and 3: OLMo-core's tie, not over
        Assert.DoesNotContain(800, tieFlags("olmo_core"));
        Assert.NotEqual(flags("olmo_core"), flags("llm_foundry"));
    }
}
