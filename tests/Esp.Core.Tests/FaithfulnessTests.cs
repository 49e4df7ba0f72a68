/// <summary>The engine reproduces the paper's algorithm, step for step, for every sampler.</summary>
public class FaithfulnessTests
{
    static readonly QuadraticProblem Small = new(N: 300, D: 300);

    public static TheoryData<SamplerKind, string> Cases() => new()
    {
        { SamplerKind.Shuffle, "adam" }, { SamplerKind.Sequential, "adam" },
        { SamplerKind.Reverse, "adam" }, { SamplerKind.WithReplacement, "adam" },
        { SamplerKind.Shuffle, "rmsprop" }, { SamplerKind.Reverse, "rmsprop" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Engine_losses_equal_the_papers_scalar_loop(SamplerKind sampler, string optimizer)
    {
        Optimizer opt = optimizer == "adam" ? new Adam(Beta2: 0.8) : new RmsProp(Beta: 0.8);
        var x = new Experiment(Small, opt, new Sampler(sampler), Epochs: 4, BatchSize: 30, Seed: 7);

        var engine = Engine.Run(x).RunRecords.Single().Losses;
        var reference = PaperLoop.Losses(x);

        Assert.Equal(40, engine.Length);
        Assert.Equal(reference.Length, engine.Length);
        for (int t = 0; t < engine.Length; t++)
            Assert.True(Math.Abs(engine[t] - reference[t]) <= 1e-9 * Math.Abs(reference[t]),
                $"step {t}: engine {engine[t]:R} vs paper loop {reference[t]:R}");
    }

    [Fact]
    public void A_partial_last_batch_is_kept_or_dropped_as_asked()
    {
        var keep = new Experiment(new QuadraticProblem(N: 305, D: 50), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 30);
        var drop = keep with { Sampler = Sampler.Shuffle with { DropLast = true } };

        Assert.Equal(11, keep.StepsPerEpoch);
        Assert.Equal(10, drop.StepsPerEpoch);
        Assert.Equal(44, Engine.Run(keep).Steps.RowCount);
        Assert.Equal(40, Engine.Run(drop).Steps.RowCount);
        var losses = PaperLoop.Losses(keep);
        var engine = Engine.Run(keep).RunRecords[0].Losses;
        Assert.Equal(losses.Length, engine.Length);
        Assert.All(engine.Zip(losses), pair => Assert.Equal(pair.Second, pair.First, 1e-9 * pair.Second));
    }
}
