using FsCheck;
using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>Spike detection: properties over generated series, for both rules.</summary>
public sealed class SpikeRuleTests
{
    static readonly SpikeRule[] Rules = [new ZScoreRule(Window: 50, K: 7), new RelativeRule(Window: 50, Factor: 2)];

    /// <summary>A smooth, slowly decaying loss with a little deterministic wiggle (a few % of its level).</summary>
    static double[] Smooth(int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        double phase = rng.NextDouble() * 6;
        return Enumerable.Range(0, n).Select(t => (1 + 4.0 / (1 + 0.01 * t)) * (1 + 0.02 * Math.Sin(0.3 * t + phase))).ToArray();
    }

    static Arbitrary<(int Seed, int[] At)> Injections => Gen.Choose(1, 10_000).SelectMany(seed =>
        Gen.Choose(1, 8).SelectMany(count => Gen.ArrayOf(Gen.Choose(0, 9), count).Select(slots =>
            (seed, slots.Distinct().Order().Select(k => 60 + 110 * k).ToArray())))).ToArbitrary(); // spikes >= 2 windows apart

    [Fact]
    public void Spikes_injected_at_generated_steps_are_found_exactly_there_with_heights_at_least_the_threshold() =>
        Prop.ForAll(Injections, c =>
        {
            var series = Smooth(1200, c.Seed);
            foreach (int t in c.At) series[t] *= 10;
            return Rules.All(rule =>
            {
                var found = rule.Detect(series);
                return found.Select(s => s.Step).SequenceEqual(c.At)
                    && found.All(s => rule is ZScoreRule z ? s.Score > z.K : s.Score >= ((RelativeRule)rule).Factor)
                    && found.All(s => s.Recovery == 1); // back within the band at the next step
            });
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void A_smooth_or_monotone_series_has_no_spikes() =>
        Prop.ForAll(Gen.Choose(1, 10_000).ToArbitrary(), Gen.Choose(2, 1000).ToArbitrary(), (seed, rate) =>
        {
            var decaying = Enumerable.Range(0, 800).Select(t => Math.Exp(-t / (double)rate) + 0.1).ToArray();
            return Rules.All(rule => rule.Detect(Smooth(800, seed)).Count == 0 && rule.Detect(decaying).Count == 0);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Detection_does_not_change_when_the_series_is_scaled_by_a_positive_constant() =>
        Prop.ForAll(Injections, Gen.Choose(-6, 6).Select(e => Math.Pow(10, e / 2.0)).ToArbitrary(), (c, scale) =>
        {
            var series = Smooth(1200, c.Seed);
            var rng = new Rng((ulong)c.Seed);
            foreach (int t in c.At) series[t] *= 1.5 + 10 * rng.NextDouble(); // some near the threshold
            var scaled = series.Select(v => v * scale).ToArray();
            return Rules.All(rule => rule.Detect(series).Select(s => s.Step).SequenceEqual(rule.Detect(scaled).Select(s => s.Step)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void The_spike_score_is_the_percentage_of_steps_flagged_after_the_first_window()
    {
        var series = Smooth(1050, 1);
        foreach (int t in new[] { 100, 400, 700 }) series[t] *= 10;
        Assert.Equal(100.0 * 3 / 1000, new ZScoreRule(Window: 50).Score(series), 12);
    }

    [Fact]
    public void One_huge_value_does_not_leave_the_window_statistics_wrong_after_it_has_passed()
    {
        // An exploded step (1e7) among losses near 1e-3: the sliding sums would keep its rounding error for good.
        var series = Smooth(2000, 3).Select(v => v * 1e-3).ToArray();
        series[100] = 1e7;
        var spikes = new ZScoreRule(Window: 100, K: 7).Detect(series);
        Assert.Equal([100], spikes.Select(s => s.Step));
    }

    [Theory]
    [InlineData(1, 7, "ZScoreRule.Window must be >= 2 steps (a standard deviation needs two), got 1")]
    [InlineData(100, 0, "ZScoreRule.K must be a positive number of standard deviations, got 0")]
    [InlineData(0, 2, "RelativeRule.Window must be >= 1 step, got 0")]
    [InlineData(32, 1, "RelativeRule.Factor must be > 1, got 1")]
    public void Bad_windows_and_thresholds_are_refused(int window, double threshold, string message)
    {
        SpikeRule rule = message.StartsWith("ZScore") ? new ZScoreRule(window, threshold) : new RelativeRule(window, threshold);
        Assert.Contains(message, Assert.Throws<InvalidExperimentException>(() => rule.Detect([1.0, 2.0, 3.0])).Message);
    }
}
