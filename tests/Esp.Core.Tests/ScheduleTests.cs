using FsCheck;
using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>Learning-rate schedules: shapes over generated settings, and metrics per phase.</summary>
public sealed class ScheduleTests
{
    static readonly Arbitrary<(double Warmup, double Decay, double Min, DecayShape Shape, int Total)> WsdCases =
        (from warmup in Gen.Choose(0, 30) from decay in Gen.Choose(5, 60) from min in Gen.Choose(1, 500)
         from shape in Gen.Elements(Enum.GetValues<DecayShape>()) from total in Gen.Choose(50, 3000)
         select (warmup / 100.0, decay / 100.0, min / 1000.0, shape, total)).ToArbitrary();

    [Fact]
    public void Wsd_stays_within_its_range_falls_monotonically_after_warmup_ends_at_its_final_factor_and_never_jumps() =>
        Prop.ForAll(WsdCases, c =>
        {
            var wsd = new Wsd(c.Warmup, c.Decay, c.Min, c.Shape);
            var f = Enumerable.Range(0, c.Total).Select(t => wsd.Factor(t, c.Total)).ToArray();
            int warmup = (int)Math.Round(c.Warmup * c.Total), decay = (int)Math.Round(c.Decay * c.Total);
            double maxStep = Decay.MaxSlope(c.Shape, c.Min) / decay + 1e-12;
            bool inRange = f.All(v => v > 0 && v <= 1 + 1e-15) && f.Skip(warmup).All(v => v >= c.Min - 1e-12);
            bool monotone = f.Skip(warmup).Zip(f.Skip(warmup + 1)).All(p => p.Second <= p.First + 1e-15);
            bool continuous = f.Skip(warmup).Zip(f.Skip(warmup + 1)).All(p => p.First - p.Second <= maxStep);
            return Wsd(wsd).Count == 0 && inRange && monotone && continuous && Math.Abs(f[^1] - c.Min) < 1e-12;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    static List<string> Wsd(Schedule s) => s.Errors().ToList();

    [Fact]
    public void Wsd_s_decays_at_the_end_of_every_cycle_and_resumes_at_1() =>
        Prop.ForAll(Gen.Choose(1, 5).ToArbitrary(), Gen.Choose(300, 3000).ToArbitrary(), (cycles, total) =>
        {
            var s = new WsdS(cycles, 0.2, 0.05, DecayShape.Cosine);
            var f = Enumerable.Range(0, total).Select(t => s.Factor(t, total)).ToArray();
            var ends = Enumerable.Range(1, cycles).Select(k => (int)Math.Round(k * (double)total / cycles) - 1).ToArray();
            return f.All(v => v >= 0.05 - 1e-12 && v <= 1) && ends.All(e => Math.Abs(f[e] - 0.05) < 1e-12)
                && ends.SkipLast(1).All(e => f[e + 1] == 1);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void The_schedules_by_name_are_the_records()
    {
        Assert.Equal(new Cosine(0.1), Schedule.Cosine(0.1));
        Assert.Equal(new Wsd(0, 0.2, 0.01, DecayShape.Exponential), Schedule.Wsd(decayFraction: 0.2, minFactor: 0.01, shape: DecayShape.Exponential));
        Assert.Equal(new WsdS(3), Schedule.WsdS(3));
    }

    [Theory]
    [InlineData(-0.1, 0.1, 0.0, DecayShape.Linear, "Wsd.WarmupFraction must be in [0, 1], got -0.1")]
    [InlineData(0.6, 0.5, 0.0, DecayShape.Linear, "Wsd.WarmupFraction + Wsd.DecayFraction must be <= 1, got 1.1")]
    [InlineData(0.0, 0.1, 0.0, DecayShape.Exponential, "Wsd.MinFactor must be > 0 for the Exponential decay")]
    public void Bad_schedules_are_refused_before_any_compute(double warmup, double decay, double min, DecayShape shape, string message)
    {
        var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 10,
            Schedule: new Wsd(warmup, decay, min, shape));
        Assert.Contains(message, Assert.Throws<InvalidExperimentException>(() => Engine.Run(x)).Message);
    }

    [Fact]
    public void Metrics_between_epochs_are_the_run_metrics_over_epochs_2_to_E_minus_1_and_measure_a_phase()
    {
        var r = Engine.Run(new Experiment(new QuadraticProblem(N: 1000, D: 1000), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 12, BatchSize: 10,
            Schedule: new Wsd(DecayFraction: 0.5))).RunRecords[0];
        Assert.Equal(EspMetrics.Of(r.Losses, 100), EspMetrics.Between(r.Losses, 100, 2, 11));
        var stable = EspMetrics.Between(r.Losses, 100, 2, 5);
        var decay = EspMetrics.Between(r.Losses, 100, 7, 11);
        Assert.True(decay.RiseIndex < stable.RiseIndex, $"stable {stable}, decay {decay}"); // the climb within epochs shrinks as lr decays
        Assert.Throws<ArgumentException>(() => EspMetrics.Between(r.Losses, 100, 5, 5));
    }
}

/// <summary>The river-valley problem: its parts and its bad input.</summary>
public sealed class RiverValleyTests
{
    [Fact]
    public void The_full_loss_is_the_river_plus_the_hills_plus_the_floor_at_every_epoch_for_a_batch_of_runs()
    {
        var x = new Experiment(new RiverValley(N: 200, Hills: 5), new Adam(Lr: 0.05), Sampler.Shuffle, Epochs: 4, BatchSize: 10,
            Probes: new Probes(EpochEndFullLoss: true));
        foreach (var r in Engine.Run(x, x with { Seed = 1 }).RunRecords)
            for (int e = 0; e < 4; e++)
                Assert.Equal(r.EpochColumn("full_loss")[e], r.EpochColumn("river_loss")[e] + r.EpochColumn("hill_loss")[e] + r.EpochColumn("floor")[e], 1e-12);
    }

    [Theory]
    [InlineData(0, 1.0, "RiverValley.Hills must be >= 1, got 0")]
    [InlineData(5, -1.0, "RiverValley.Rho must be a positive finite number, got -1")]
    public void Bad_river_valleys_are_refused_before_any_compute(int hills, double rho, string message)
    {
        var x = new Experiment(new RiverValley(Hills: hills, Rho: rho), new Sgd(), Sampler.Shuffle, BatchSize: 10);
        Assert.Contains(message, Assert.Throws<InvalidExperimentException>(() => Engine.Run(x)).Message);
    }
}
