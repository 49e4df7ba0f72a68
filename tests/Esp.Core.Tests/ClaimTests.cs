using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>The claim runner: a false claim is found and shrunk, a throwing predicate is a failing case, seeds replay, ranges are checked.</summary>
public sealed class ClaimTests
{
    static readonly FsCheck.Gen<Experiment> Shuffled08 = Gens.Quadratic(Gens.Adam(beta2: (0.79, 0.81)), Gens.Samplers(Sampler.Shuffle, Sampler.Reverse));

    [Fact]
    public void A_planted_false_claim_fails_and_shrinks_to_a_small_case()
    {
        // False: shuffled Adam at beta2 near 0.8 saws with an index of 0.37 to 0.64 (EspPropertyTests).
        var result = Claims.Check(Claim.Of("the sawtooth index stays below 0.3", Shuffled08, r =>
            EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch).SawtoothIndex < 0.3, cases: 10, seed: 5));

        Assert.False(result.Holds);
        var x = Assert.Single(result.Counterexample!).Experiment;
        Assert.True(result.ShrinkSteps >= 3, $"shrunk in {result.ShrinkSteps} steps");
        // the bound: seed 0, the shuffle sampler, the fewest epochs the metrics allow, a batch of at most 10, beta2 rounded
        Assert.Equal((0, Sampler.Shuffle, 4), (x.Seed, x.Sampler, x.Epochs));
        Assert.InRange(x.BatchSize, 1, 10);
        Assert.Equal(Math.Round(((Adam)x.Optimizer).Beta2, 1), ((Adam)x.Optimizer).Beta2);
        Assert.Contains("FAILS  the sawtooth index stays below 0.3", result.ToString());
        Assert.Contains("shrunk in", result.ToString());
    }

    [Fact]
    public void Runs_that_blow_up_are_one_line_per_claim_not_one_per_run_or_shrink_candidate()
    {
        var blowsUp = Gens.Quadratic(Gens.Adam(lr: (1e5, 1e6)), Gens.Samplers(Sampler.Shuffle), epochs: 4);
        var log = new StringWriter();
        Assert.True(Claims.Check(Claim.Of("anything goes", blowsUp, _ => true, cases: 6), log: log).Holds);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^claim ""anything goes"": \d of 6 cases had a run that diverged \(\d\) or exploded \(\d\); the claim was evaluated on them as they are$", line);

        log = new StringWriter();
        Assert.False(Claims.Check(Claim.Of("nothing holds", blowsUp, _ => false, cases: 3), log: log).Holds);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 1, 2); // the cases, then every shrink candidate together
        Assert.All(lines, l => Assert.Matches(@"^claim ""nothing holds"": \d+ of \d+ (cases|shrink candidates) had a run that diverged", l));
        Assert.DoesNotContain("run 0", log.ToString());
    }

    [Fact]
    public void A_predicate_that_throws_is_a_failing_case_with_the_exception_not_a_crash()
    {
        var result = Claims.Check(Claim.Of("never throws", Shuffled08, r => r.Column("m_norm").Length > 0, cases: 3));
        Assert.False(result.Holds);
        Assert.Contains("ArgumentException: run", result.Error);
        Assert.Contains("recorded no column \"m_norm\"", result.ToString());
    }

    [Fact]
    public void The_same_seed_replays_the_same_cases_and_another_seed_draws_others()
    {
        Claim Saw(int seed) => Claim.Of("sawtooth below 0.5", Shuffled08, r => EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch).SawtoothIndex < 0.5, 6, seed);
        var (a, b, c) = (Claims.Check(Saw(7)), Claims.Check(Saw(7)), Claims.Check(Saw(8)));
        Assert.Equal(a.Passed, b.Passed);
        Assert.Equal(a.FirstFailure?.Select(r => r.Experiment), b.FirstFailure?.Select(r => r.Experiment));
        var drawn = (int seed) => Gen.Sample(Shuffled08, 6, new FsCheck.Rnd((ulong)seed), 10).Select(x => x.Seed).ToArray();
        Assert.Equal(drawn(7), drawn(7));
        Assert.NotEqual(drawn(7), drawn(8));
    }

    [Fact]
    public void Generated_descriptions_stay_within_their_ranges_and_are_valid()
    {
        var gen = Gens.Quadratic(Gens.OneOf(Gens.Adam(lr: (0.01, 0.1), beta2: (0.8, 0.99)), Gens.RmsProp(beta: (0.8, 0.99)), Gens.Sgd(momentum: (0, 0.9))),
            Gens.Samplers(Sampler.Shuffle, Sampler.Sequential), batch: (3, 7), seeds: (10, 20),
            schedule: Gens.Schedules(Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.3)), probes: Gens.Probes(Probes.None, new Probes(GradNorm: true)));
        foreach (var x in Gen.Sample(gen, 200, new FsCheck.Rnd(1UL), 10))
        {
            Assert.Empty(x.Errors());
            Assert.InRange(x.BatchSize, 3, 7);
            Assert.InRange(x.Seed, 10, 20);
            Assert.Contains(x.LrSchedule, new[] { Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.3) });
            switch (x.Optimizer)
            {
                case Adam a: Assert.InRange(a.Lr, 0.01, 0.1); Assert.InRange(a.Beta2, 0.8, 0.99); break;
                case RmsProp r: Assert.InRange(r.Beta, 0.8, 0.99); break;
                case Sgd g: Assert.InRange(g.Momentum, 0, 0.9); break;
            }
        }
    }

    [Theory]
    [InlineData("beta2", "Gens.Adam beta2 range (0.9, 0.8) is empty or out of bounds: give (low, high) with low <= high")]
    [InlineData("batch", "Gens.Quadratic batch range (0, 5) is empty or out of bounds")]
    [InlineData("cases", "Claim.Cases must be >= 1, got 0")]
    public void An_empty_or_invalid_range_is_an_error_before_anything_runs(string what, string message)
    {
        var e = Assert.Throws<InvalidExperimentException>(() =>
        {
            var claim = what switch
            {
                "beta2" => Claim.Of("x", Gens.Quadratic(Gens.Adam(beta2: (0.9, 0.8)), Gens.Samplers(Sampler.Shuffle)), _ => true),
                "batch" => Claim.Of("x", Gens.Quadratic(Gens.Adam(), Gens.Samplers(Sampler.Shuffle), batch: (0, 5)), _ => true),
                _ => Claim.Of("x", Shuffled08, _ => true, cases: 0),
            };
            Claims.Check(claim);
        });
        Assert.Contains(message, e.Message);
    }
}
