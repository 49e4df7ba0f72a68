/// <summary>The samplers visit the functions in the orders the paper describes.</summary>
public class SampleOrderTests
{
    static int[][][] Epochs(Sampler s, int n = 10, int b = 5, int epochs = 3)
    {
        var order = new SampleOrder(s, n, b, Rng.For(1, "sampler"));
        return Enumerable.Range(0, epochs).Select(order.NextEpoch).ToArray();
    }

    [Fact]
    public void Sequential_visits_in_order_every_epoch()
    {
        foreach (var epoch in Epochs(Sampler.Sequential))
            Assert.Equal(Enumerable.Range(0, 10), epoch.SelectMany(x => x));
    }

    [Fact]
    public void Reverse_starts_in_order_then_reverses_at_every_epoch_start()
    {
        var e = Epochs(Sampler.Reverse).Select(x => x.SelectMany(i => i).ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), e[0]);
        Assert.Equal(Enumerable.Range(0, 10).Reverse(), e[1]);
        Assert.Equal(Enumerable.Range(0, 10), e[2]);
    }

    [Fact]
    public void Shuffle_draws_a_fresh_permutation_each_epoch()
    {
        var e = Epochs(Sampler.Shuffle, n: 50, b: 10).Select(x => x.SelectMany(i => i).ToArray()).ToArray();
        Assert.All(e, order => Assert.Equal(Enumerable.Range(0, 50), order.Order()));
        Assert.NotEqual(e[0], e[1]);
    }

    [Fact]
    public void With_replacement_draws_distinct_indices_within_a_batch_and_repeats_across_an_epoch()
    {
        var epoch = Epochs(Sampler.WithReplacement, n: 20, b: 10, epochs: 1)[0];
        Assert.Equal(2, epoch.Length);
        Assert.All(epoch, batch => Assert.Equal(batch.Length, batch.Distinct().Count()));
        var many = Epochs(Sampler.WithReplacement, n: 100, b: 10, epochs: 5).SelectMany(e => e.SelectMany(x => x)).ToArray();
        Assert.True(many.Distinct().Count() < many.Length, "with replacement must repeat some functions within an epoch");
    }
}
