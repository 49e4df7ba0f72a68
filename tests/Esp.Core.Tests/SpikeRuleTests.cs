using FsCheck;
using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>Spike detection: properties over generated series, for Esp's two rules, and how the presets differ from them.</summary>
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
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_value_blinds_the_window_while_it_is_in_it_and_not_a_step_longer(double bad)
    {
        // Step 210 is non-finite; the window of step t is the 50 steps before it, so step 260 still holds it and 261 not.
        // (The sliding sums kept a NaN until their next recomputation at a multiple of the window, step 300.)
        foreach (var rule in Rules)
        {
            var series = Smooth(600, 5);
            series[210] = bad;
            Assert.Empty(rule.Detect(series.Select((v, t) => t == 260 ? 30 * v : v).ToArray()));
            Assert.Equal([261], rule.Detect(series.Select((v, t) => t == 261 ? 30 * v : v).ToArray()).Select(s => s.Step));
        }
    }

    [Fact]
    public void The_mean_of_a_hundred_ones_is_one_so_a_two_after_them_is_a_spike_of_height_exactly_two()
    {
        // The periodic recomputation summed ones over 100 (1.0000000000000007) and missed the tie.
        var spike = Assert.Single(new RelativeRule(Window: 100, Factor: 2).Detect([.. Enumerable.Repeat(1.0, 100), 2.0]));
        Assert.Equal((100, 2.0, 2.0), (spike.Step, spike.Height, spike.Score));
    }

    [Fact]
    public void A_value_exactly_at_the_threshold_of_a_constant_series_is_a_spike() =>
        Prop.ForAll(Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(-300, 300).ToArbitrary(), Gen.Choose(101, 1000).ToArbitrary(), (window, exponent, factor) =>
        {
            double c = (1 + window / 301.0 + exponent / 997.0) * Math.Pow(10, exponent / 10.0), f = factor / 100.0;
            var series = Enumerable.Repeat(c, window + 30).Append(f * c).Concat(Enumerable.Repeat(c, 5)).ToArray();
            var found = new RelativeRule(Window: window, Factor: f).Detect(series);
            return found.Count == 1 && found[0].Step == window + 30 && found[0].Height == f * c / c;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    [Fact]
    public void OlmoCore_uses_the_population_sd_and_a_strict_threshold_and_flags_nothing_in_a_flat_window()
    {
        // Alternating 1 and 3: mean 2, population sd 1 (sample sd 1.004), so 8 is exactly 6 sd over: not a spike.
        double[] alternating = [.. Enumerable.Range(0, 128).Select(i => i % 2 == 0 ? 1.0 : 3.0)];
        Assert.Empty(ZScoreRule.OlmoCore.Detect([.. alternating, 8.0]));
        Assert.Single(ZScoreRule.OlmoCore.Detect([.. alternating, 8.000001]));
        Assert.Empty(new ZScoreRule(Window: 128, K: 6).Detect([.. alternating, 8.01])); // Esp's sample sd: 8.024 is the threshold
        double[] flat = [.. Enumerable.Repeat(0.5, 128), 100.0];
        Assert.Empty(ZScoreRule.OlmoCore.Detect(flat));
        Assert.Single(new ZScoreRule(Window: 128, K: 6).Detect(flat)); // Esp floors the sd at 1e-12 of the mean
    }

    [Fact]
    public void Lightning_keeps_spikes_out_of_its_window_so_a_lasting_rise_to_three_times_the_level_is_flagged_while_it_lasts()
    {
        double[] series = [.. Enumerable.Repeat(1.0, 20), .. Enumerable.Repeat(3.0, 10), .. Enumerable.Repeat(1.0, 5)];
        Assert.Equal(Enumerable.Range(20, 10), LightningRule.SpikeDetection.Detect(series).Select(s => s.Step));
        Assert.Equal([20], new RelativeRule(Window: 10, Factor: 3).Detect(series).Select(s => s.Step)); // Esp: the rise enters the window
    }

    [Fact]
    public void OlmoCores_spike_score_is_the_fraction_of_all_steps_and_Esps_the_percentage_after_the_first_window()
    {
        var series = Smooth(1128, 2);
        foreach (int t in new[] { 300, 600, 900 }) series[t] *= 10;
        Assert.Equal(3.0 / 1128, ZScoreRule.OlmoCore.Score(series));
        Assert.Equal(100.0 * 3 / 1000, new ZScoreRule(Window: 128, K: 6).Score(series), 12);
        Assert.True(double.IsNaN(ZScoreRule.OlmoCore.Score(0, 127)));
        Assert.Equal(0, ZScoreRule.OlmoCore.Score(0, 128));
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

    [Fact]
    public void Bad_floors_and_tolerances_are_refused()
    {
        SpikeRule[] bad = [new ZScoreRule { MinSd = -1 }, new ZScoreRule { RelativeFloor = double.NaN }, new LightningRule(Window: 0),
                           new LightningRule(Rtol: 0), new LightningRule(Atol: -1), new LightningRule(Warmup: -1)];
        string[] messages = ["ZScoreRule.MinSd must be >= 0", "ZScoreRule.RelativeFloor must be a fraction >= 0", "LightningRule.Window must be >= 1",
                             "LightningRule.Rtol must be > 0 or null", "LightningRule.Atol must be >= 0 or null", "LightningRule.Warmup must be >= 0"];
        foreach (var (rule, message) in bad.Zip(messages))
            Assert.Contains(message, Assert.Throws<InvalidExperimentException>(() => rule.Detect([1.0, 2.0, 3.0])).Message);
    }
}
