namespace Esp.Core.Tests;

/// <summary>
/// The claim runner: a false claim is found and shrunk by its generator's choices (integrated shrinking), so a shrunk
/// case is one the generator could draw and is locally minimal; seeds replay; diverged and exploded cases are counted
/// and judged, failed or discarded as the claim says; a throwing predicate is a failing case; ranges are checked.
/// </summary>
public sealed class ClaimTests
{
    static readonly Generator<Experiment> Shuffled08 = Gens.Quadratic(Gens.Adam(beta2: (0.79, 0.81)), Gens.Samplers(Sampler.Shuffle, Sampler.Reverse));

    static double Sawtooth(RunRecord r) => EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch).SawtoothIndex;

    /// <summary>No single shrink step of the counterexample's choices still fails (what the shrinker stops at).</summary>
    static void AssertLocallyMinimal(Claim claim, ClaimResult result)
    {
        var shrunk = Claims.Draw(claim, Choices.Replay(result.Counterexample!.Choices));
        var neighbours = Claims.Simpler(claim, shrunk).ToList();
        var outcomes = Claims.Evaluate(claim, neighbours, null);
        Assert.All(outcomes, o => Assert.NotEqual(Claims.Verdict.Fails, o.Verdict));
    }

    [Fact]
    public void A_planted_false_claim_fails_and_shrinks_to_the_simplest_choices_within_the_generator()
    {
        // False: shuffled Adam at beta2 near 0.8 saws with an index of 0.37 to 0.64 (EspPropertyTests).
        var claim = Claim.Of("the sawtooth index stays below 0.3", Shuffled08, r => Sawtooth(r) < 0.3, cases: 10, seed: 5);
        var result = Claims.Check(claim);

        Assert.False(result.Holds);
        Assert.True(result.Reproduced);
        Assert.True(result.ShrinkSteps >= 2, $"shrunk in {result.ShrinkSteps} steps");
        var x = Assert.Single(result.Counterexample!.Runs).Experiment;
        // every choice at its simplest: the low end of each range, the first sampler listed; N = D = 100 x batch still
        Assert.Equal("batch=10, seed=0, beta2=0.79, sampler=shuffle", result.Counterexample.ChoicesText);
        Assert.Equal((10, 0, Sampler.Shuffle, 10, 0.79), (x.BatchSize, x.Seed, x.Sampler, x.Epochs, ((Adam)x.Optimizer).Beta2));
        Assert.Equal(new QuadraticProblem(N: 1000, D: 1000), x.Problem);
        Assert.Contains("FAILS  the sawtooth index stays below 0.3", result.ToString());
        Assert.Contains("shrunk in", result.ToString());
        Assert.Contains("(batch=10, seed=0, beta2=0.79, sampler=shuffle):", result.ToString());
        AssertLocallyMinimal(claim, result);
    }

    [Fact]
    public void The_doubling_batch_pair_claim_fails_and_its_shrunk_pair_still_doubles_the_batch_on_the_same_problem()
    {
        // The tie found within noise (issue 22): doubling the batch at N = 100 x batch lowers the sawtooth index in most
        // cases, not in all; 200 cases from seed 0 find one (as experiments/claims.csx does).
        var claim = new Claim("doubling the batch never increases the sawtooth index",
            Gens.Quadratic(Gens.Adam(beta2: (0.8, 0.999)), Gens.Samplers(Sampler.Shuffle)).Select(x => new[] { x, x with { BatchSize = 2 * x.BatchSize } }),
            r => Sawtooth(r[1]) <= Sawtooth(r[0]), Cases: 200, Seed: 0);
        var result = Claims.Check(claim);

        Assert.False(result.Holds, result.ToString());
        Assert.True(result.Reproduced);
        foreach (var pair in new[] { result.FirstFailure!, result.Counterexample! })
        {
            var (first, second) = (pair.Runs[0].Experiment, pair.Runs[1].Experiment);
            Assert.Equal(2 * first.BatchSize, second.BatchSize);
            Assert.Equal(first.Problem, second.Problem);
            Assert.Equal(new QuadraticProblem(N: 100 * first.BatchSize, D: 100 * first.BatchSize), first.Problem);
            Assert.Equal(first with { BatchSize = second.BatchSize }, second);
            Assert.True(Sawtooth(pair.Runs[1]) > Sawtooth(pair.Runs[0]));
        }
        AssertLocallyMinimal(claim, result);
    }

    [Fact]
    public void Shrinking_is_repeatable_from_the_seed_and_a_claim_without_one_takes_the_default()
    {
        Claim Saw(int? seed) => Claim.Of("sawtooth below 0.45", Shuffled08, r => Sawtooth(r) < 0.45, 8, seed);
        var (a, b, c) = (Claims.Check(Saw(7)), Claims.Check(Saw(7)), Claims.Check(Saw(null), defaultSeed: 7));
        Assert.False(a.Holds, a.ToString());
        Assert.Equal(a.ToString().Split('(')[1].Split(',')[0], b.ToString().Split('(')[1].Split(',')[0]);
        foreach (var other in new[] { b, c })
        {
            Assert.Equal(7, other.Seed);
            Assert.Equal(a.Passed, other.Passed);
            Assert.Equal(a.FirstFailure!.ChoicesText, other.FirstFailure!.ChoicesText);
            Assert.Equal(a.Counterexample!.ChoicesText, other.Counterexample!.ChoicesText);
            Assert.Equal(a.Counterexample.Runs.Select(r => r.Experiment), other.Counterexample.Runs.Select(r => r.Experiment));
            Assert.Equal(a.Counterexample.Runs.Select(r => r.Losses), other.Counterexample.Runs.Select(r => r.Losses));
        }
        Assert.Equal(Shuffled08.Sample(6, 7), Shuffled08.Sample(6, 7));
        Assert.NotEqual(Shuffled08.Sample(6, 7).Select(x => x.Seed), Shuffled08.Sample(6, 8).Select(x => x.Seed));
    }

    [Fact]
    public void A_planted_false_claim_about_a_network_is_found_and_shrunk_to_the_smallest_network_that_fails()
    {
        // False for every MLP drawn with dropout from 0.25 up: the shrinker must find dropout 0.25 exactly, on one narrowest
        // layer, the fewest examples and seed 0, each network trained for real
        var networks = Gens.Network(Gens.Mlp(inputs: 14, outputs: 4, layers: (1, 3), width: (8, 48), dropout: (0, 0.5)),
            Gens.Tabular(examples: (96, 320)), Gens.Adam(lr: (1e-3, 1e-2)), Gens.Samplers(Sampler.Shuffle), epochs: (4, 6));
        var claim = Claim.Of("no MLP is trained with dropout of 0.25 or more",
            networks, r => ((Mlp)((Network)r.Experiment.Problem).Model).Dropout < 0.25 && r.Status == RunStatus.Completed, cases: 12);
        var result = Claims.Check(claim);

        Assert.False(result.Holds, result.ToString());
        var x = Assert.Single(result.Counterexample!.Runs).Experiment;
        var network = (Network)x.Problem;
        Assert.Equal(new Mlp(14, [8], 4, Dropout: 0.25), network.Model);
        Assert.Equal((96, 4, 0, 1e-3), (network.Data.TrainExamples, x.Epochs, x.Seed, ((Adam)x.Optimizer).Lr));
        Assert.Equal("layers=1, width=8, dropout=0.25, examples=96, seed=0, epochs=4, lr=0.001", result.Counterexample.ChoicesText);
        Assert.Equal(RunStatus.Completed, result.Counterexample.Runs[0].Status);
        AssertLocallyMinimal(claim, result);
    }

    [Theory]
    [InlineData(Unfinished.Judge)]
    [InlineData(Unfinished.Fail)]
    [InlineData(Unfinished.Discard)]
    public void Cases_that_blow_up_are_counted_in_the_claims_one_line_and_judged_failed_or_discarded_as_it_says(Unfinished unfinished)
    {
        var blowsUp = Gens.Quadratic(Gens.Sgd(lr: (1e3, 1e4)), Gens.Samplers(Sampler.Shuffle), epochs: (4, 4)); // every run diverges
        var result = Claims.Check(Claim.Of("anything goes", blowsUp, _ => true, cases: 6, unfinished: unfinished));

        Assert.Equal(6, result.Unfinished);
        Assert.Equal(unfinished != Unfinished.Fail, result.Holds);
        Assert.Equal(unfinished == Unfinished.Judge ? 6 : 0, result.Passed);
        Assert.Equal(unfinished == Unfinished.Discard ? 6 : 0, result.Discarded);
        var verdict = unfinished switch { Unfinished.Fail => "failed", Unfinished.Discard => "discarded", _ => "judged" };
        Assert.Matches($@"^(HOLDS|FAILS)  anything goes  \((6 cases|0 of 6 cases held), 6 with a run that diverged \(\d\) or exploded \(\d\): {verdict}, seed 0, ", result.ToString());
        Assert.DoesNotContain("run 0", result.ToString());
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
    public void Generated_descriptions_stay_within_their_ranges_and_are_valid()
    {
        var gen = Gens.Quadratic(Gens.OneOf(Gens.Adam(lr: (0.01, 0.1), beta2: (0.8, 0.99)), Gens.RmsProp(beta: (0.8, 0.99)), Gens.Sgd(momentum: (0, 0.9))),
            Gens.Samplers(Sampler.Shuffle, Sampler.Sequential), batch: (3, 7), seeds: (10, 20), epochs: (5, 9),
            schedule: Gens.Schedules(Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.3)), probes: Gens.Probes(Probes.None, new Probes(GradNorm: true)));
        foreach (var x in gen.Sample(200, 1))
        {
            Assert.Empty(x.Errors());
            Assert.InRange(x.BatchSize, 3, 7);
            Assert.InRange(x.Seed, 10, 20);
            Assert.InRange(x.Epochs, 5, 9);
            Assert.Contains(x.LrSchedule, new[] { Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.3) });
            switch (x.Optimizer)
            {
                case Adam a: Assert.InRange(a.Lr, 0.01, 0.1); Assert.InRange(a.Beta2, 0.8, 0.99); break;
                case RmsProp r: Assert.InRange(r.Beta, 0.8, 0.99); break;
                case Sgd g: Assert.InRange(g.Momentum, 0, 0.9); break;
            }
        }
        foreach (var x in Gens.Network(Gens.Mlp(14, 4, layers: (1, 3), width: (5, 9), dropout: (0.1, 0.2)), Gens.Tabular((50, 60)), Gens.Sgd(),
                     Gens.Samplers(Sampler.Shuffle), batch: (4, 8)).Sample(100, 2))
        {
            Assert.Empty(x.Errors());
            var mlp = (Mlp)((Network)x.Problem).Model;
            Assert.InRange(mlp.Hidden.Count, 1, 3);
            Assert.All(mlp.Hidden, w => Assert.InRange(w, 5, 9));
            Assert.InRange(mlp.Dropout, 0.1, 0.2);
            Assert.InRange(x.Problem.Examples, 50, 60);
            Assert.InRange(x.BatchSize, 4, 8);
        }
    }

    [Theory]
    [InlineData("beta2", "Gens.Adam beta2 range (0.9, 0.8) is empty or out of bounds: give (low, high) with low <= high")]
    [InlineData("batch", "Gens.Quadratic batch range (0, 5) is empty or out of bounds")]
    [InlineData("epochs", "Gens.Quadratic epochs range (3, 10) is empty or below 4 (the ESP metrics need 4)")]
    [InlineData("cases", "Claim.Cases must be >= 1, got 0")]
    [InlineData("min epochs", "Claim.MinEpochs must be >= 4 (the ESP metrics need 4), got 2")]
    [InlineData("drawn below", "a drawn case has 4 epochs, fewer than its MinEpochs = 8 (batch=")]
    public void An_empty_or_invalid_range_is_an_error_before_anything_runs(string what, string message)
    {
        var e = Assert.Throws<InvalidExperimentException>(() =>
        {
            var claim = what switch
            {
                "beta2" => Claim.Of("x", Gens.Quadratic(Gens.Adam(beta2: (0.9, 0.8)), Gens.Samplers(Sampler.Shuffle)), _ => true),
                "batch" => Claim.Of("x", Gens.Quadratic(Gens.Adam(), Gens.Samplers(Sampler.Shuffle), batch: (0, 5)), _ => true),
                "epochs" => Claim.Of("x", Gens.Quadratic(Gens.Adam(), Gens.Samplers(Sampler.Shuffle), epochs: (3, 10)), _ => true),
                "min epochs" => Claim.Of("x", Shuffled08, _ => true, minEpochs: 2),
                "drawn below" => Claim.Of("x", Gens.Quadratic(Gens.Adam(), Gens.Samplers(Sampler.Shuffle), epochs: (4, 4)), _ => true, minEpochs: 8),
                _ => Claim.Of("x", Shuffled08, _ => true, cases: 0),
            };
            Claims.Check(claim);
        });
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Shrinking_never_goes_below_the_epochs_the_claim_needs()
    {
        // epochs drawn from 8 to 12 and shrunk towards 8, the claim's MinEpochs: never to the metrics' bare 4
        var claim = Claim.Of("the sawtooth index stays below 0.3",
            Gens.Quadratic(Gens.Adam(beta2: (0.8, 0.8)), Gens.Samplers(Sampler.Shuffle), epochs: (8, 12)), r => Sawtooth(r) < 0.3, cases: 4, minEpochs: 8);
        var result = Claims.Check(claim);
        Assert.False(result.Holds);
        Assert.Equal(8, result.Counterexample!.Runs[0].Experiment.Epochs);
        Assert.Contains("epochs=8", result.Counterexample.ChoicesText);
    }
}
