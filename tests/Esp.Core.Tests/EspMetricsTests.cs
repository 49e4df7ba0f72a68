/// <summary>The ESP metrics computed by hand on series whose answer is known.</summary>
public class EspMetricsTests
{
    /// <summary>E epochs of S steps, each epoch the same shape f(step) around level 1.</summary>
    static double[] Periodic(int epochs, int steps, Func<int, double> shape) =>
        Enumerable.Range(0, epochs * steps).Select(t => 1 + shape(t % steps)).ToArray();

    [Fact]
    public void A_flat_series_has_all_three_metrics_zero()
    {
        var m = EspMetrics.Of(Periodic(6, 20, _ => 0), 20);
        Assert.Equal(new EspMetrics(0, 0, 0), m);
    }

    [Fact]
    public void A_linear_rise_within_each_epoch_gives_the_computed_indices()
    {
        // step s of every epoch has loss 1 + 0.01 s (s = 0..19), w = 2:
        // head = 1.005, tail = 1.185, epoch mean = 1.095.
        var m = EspMetrics.Of(Periodic(5, 20, s => 0.01 * s), 20);
        Assert.Equal((1.185 - 1.005) / 1.095, m.SawtoothIndex, 12);
        Assert.Equal((1.185 - 1.005) / 1.095, m.RiseIndex, 12);
        Assert.Equal((1.185 - 1.005) / 1.095, m.Amplitude, 12); // window means 1.005 .. 1.185
    }

    [Fact]
    public void A_u_shape_has_a_small_rise_but_a_large_amplitude()
    {
        var m = EspMetrics.Of(Periodic(6, 100, s => Math.Pow((s - 49.5) / 49.5, 2)), 100);
        Assert.True(Math.Abs(m.RiseIndex) < 1e-9, $"rise {m.RiseIndex}");
        Assert.True(m.Amplitude > 0.5, $"amplitude {m.Amplitude}");
    }

    [Fact]
    public void The_sawtooth_index_is_the_median_over_boundaries_from_epoch_2()
    {
        // epochs 0 and 1 are wild and must be ignored; epochs 2.. are flat at 1 but epoch e+1 starts
        // lower by drop 0.1, 0.2, 0.3 at the three boundaries 2|3, 3|4, 4|5.
        int s = 10;
        var series = new double[6 * s];
        for (int t = 0; t < series.Length; t++) series[t] = t < 2 * s ? 100 * (t % 3) : 1;
        double[] drops = [0.1, 0.2, 0.3];
        for (int e = 3; e <= 5; e++) series[e * s] = 1 - drops[e - 3] * 1; // w = 1: only the first step
        var m = EspMetrics.Of(series, s);
        double epochMean(int e) => series.Skip(e * s).Take(s).Average();
        var expected = new[] { 0.1 / epochMean(2), 0.2 / epochMean(3), 0.3 / epochMean(4) }.Order().ElementAt(1);
        Assert.Equal(expected, m.SawtoothIndex, 12);
    }

    [Theory]
    [InlineData(30, 10, "at least 4 epochs, got 3")]
    [InlineData(45, 10, "whole epochs: 45 steps is not a multiple of 10")]
    public void Too_few_or_partial_epochs_are_refused_with_a_reason(int steps, int perEpoch, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => EspMetrics.Of(new double[steps], perEpoch));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Window_is_a_tenth_of_an_epoch_rounded_up()
    {
        Assert.Equal(10, EspMetrics.Window(100));
        Assert.Equal(2, EspMetrics.Window(11));
        Assert.Equal(1, EspMetrics.Window(3));
    }
}
