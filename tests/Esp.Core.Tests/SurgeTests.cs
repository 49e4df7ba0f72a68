using FsCheck;
using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>The batch-size surge: the laws' fit, the best lr of a grid, and the noisy quadratic they are checked on.</summary>
public sealed class SurgeTests
{
    static readonly double[] Batches = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    [Fact]
    public void The_fit_recovers_b_noise_and_eps_max_from_points_drawn_from_either_law() =>
        Prop.ForAll(Gen.Elements(SurgeLaw.Sgd, SurgeLaw.Adam).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(-400, 300).ToArbitrary(),
            (law, logBNoise, logEpsMax) =>
            {
                // B_noise from 4 to 1024, inside the measured batch sizes, so the points pin it down
                var truth = new SurgeFit(law, Math.Pow(10, logEpsMax / 100.0), Math.Pow(2, 2 + 8 * logBNoise / 1000.0), double.NaN);
                var fit = SurgeFit.Of(law, Batches.Select(b => (b, truth.OptimalLr(b))).ToList());
                return (Math.Abs(fit.BNoise / truth.BNoise - 1) < 1e-6 && Math.Abs(fit.EpsMax / truth.EpsMax - 1) < 1e-6 && fit.RmsLogError < 1e-6)
                    .Label($"truth {truth}, fit {fit}");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void The_adam_law_peaks_at_b_noise_at_eps_max_and_rises_as_its_square_root_law_below()
    {
        var law = new SurgeFit(SurgeLaw.Adam, 2.0, 64, double.NaN);
        Assert.Equal(2.0, law.OptimalLr(64), 12);
        Assert.True(law.OptimalLr(32) < 2 && law.OptimalLr(128) < 2);
        Assert.Equal(law.OptimalLr(16), law.OptimalLr(256), 12); // symmetric in log B about B_noise
        Assert.Equal(2 * 2.0 * Math.Sqrt(1e-4 / 64), law.OptimalLr(1e-4), 6); // 2 eps_max sqrt(B / B_noise) for small B
        var sgd = new SurgeFit(SurgeLaw.Sgd, 2.0, 64, double.NaN);
        Assert.Equal(1.0, sgd.OptimalLr(64), 12);
        Assert.True(sgd.OptimalLr(1e7) is > 1.9999 and < 2); // saturates at eps_max
    }

    [Fact]
    public void The_fit_names_what_is_wrong_with_its_points()
    {
        var one = Assert.Throws<ArgumentException>(() => SurgeFit.Of(SurgeLaw.Sgd, [(16, 0.1), (16, 0.2)]));
        Assert.Contains("two or more batch sizes", one.Message);
        var bad = Assert.Throws<ArgumentException>(() => SurgeFit.Of(SurgeLaw.Adam, [(16, 0.1), (32, double.NaN)]));
        Assert.Contains("positive finite", bad.Message);
    }

    [Fact]
    public void Best_lr_finds_the_vertex_of_a_loss_quadratic_in_lr_between_grid_points() =>
        Prop.ForAll(Gen.Choose(-2000, 2000).ToArbitrary(), Gen.Choose(1, 100).ToArbitrary(), (vertex1000, curvature) =>
        {
            // the expected loss after one step on a quadratic, c - a lr + b lr^2 / 2, minimal between points of a grid spaced
            // by 2x; written in units of the vertex, so that its rise between grid points is not lost to rounding next to c
            double vertex = 1e-3 * Math.Exp(vertex1000 / 1000.0);
            var grid = Enumerable.Range(0, 16).Select(k => 1e-5 * Math.Pow(2, k))
                .Select(lr => (lr, 1 + curvature * (lr / vertex - 1) * (lr / vertex - 1))).ToList();
            var best = BestLr.Of(grid);
            return (!best.AtGridEdge && Math.Abs(best.Lr / vertex - 1) < 1e-9).Label($"vertex {vertex}, found {best.Lr}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

    [Fact]
    public void Best_lr_ranks_diverged_runs_last_and_flags_an_optimum_at_the_grid_edge()
    {
        var rising = BestLr.Of([(0.1, 1.0), (0.2, 2.0), (0.4, double.NaN)]);
        Assert.True(rising.AtGridEdge);
        Assert.Equal(0.1, rising.Lr, 12);
        var inside = BestLr.Of([(0.1, 3.0), (0.2, 1.0), (0.4, double.PositiveInfinity), (0.8, 2.0)]);
        Assert.Equal(0.2, inside.Lr, 12); // a diverged neighbour: no parabola, the grid point itself
        Assert.Contains("every run of the grid diverged", Assert.Throws<ArgumentException>(() => BestLr.Of([(0.1, double.NaN)])).Message);
    }

    [Fact]
    public void One_sgd_step_on_the_noisy_quadratic_lowers_the_loss_as_the_expectation_says()
    {
        // E[L(x0 - lr g_B)] = L0 - lr |g|^2 + lr^2 / 2 (g^T H g + Sigma^2 tr H / B): the formula the SGD law rests on.
        var p = new NoisyQuadratic(D: 10, Sigma: 20);
        const int b = 4, seeds = 3000;
        const double lr = 0.05;
        var results = Engine.Run(Enumerable.Range(0, seeds).Select(s =>
            new Experiment(p with { N = b }, new Sgd(Lr: lr), Sampler.Shuffle, Epochs: 1, BatchSize: b, Seed: s,
                           Probes: new Probes(EpochEndFullLoss: true))).ToList());
        var losses = results.RunRecords.Select(r => r.EpochEndFullLoss[0]).ToArray();
        var h = p.Hessian();
        var x0 = Enumerable.Repeat(p.X0, p.D).ToArray();
        double[] Times(double[] v) => Enumerable.Range(0, p.D).Select(i => Enumerable.Range(0, p.D).Sum(j => h[i * p.D + j] * v[j])).ToArray();
        double Dot(double[] u, double[] v) => u.Zip(v, (a, c) => a * c).Sum();
        var g = Times(x0);
        double traceH = Enumerable.Range(0, p.D).Sum(i => h[i * p.D + i]);
        double expected = 0.5 * Dot(x0, g) - lr * Dot(g, g) + lr * lr / 2 * (Dot(g, Times(g)) + p.Sigma * p.Sigma * traceH / b);
        double mean = losses.Average(), se = Math.Sqrt(losses.Sum(l => (l - mean) * (l - mean)) / (seeds - 1) / seeds);
        Assert.True(Math.Abs(mean - expected) < 4 * se, $"mean loss after one step {mean} +- {se}, expected {expected}");
        // and each run's loss is 1/2 x1^T H x1 for its own batch of noise
        var noise = (p with { N = b }).Noise(0);
        var x1 = x0.Select((x, i) => x - lr * (g[i] + Enumerable.Range(0, b).Average(k => noise[k * p.D + i]))).ToArray();
        Assert.Equal(0.5 * Dot(x1, Times(x1)), losses[0], 9);
    }

    [Fact]
    public void The_analytic_sgd_law_is_the_exact_one_step_optimum_and_adams_erf_optimum_tends_to_the_law_for_small_batches()
    {
        var p = new NoisyQuadratic();
        var sgd = p.Predicted(SurgeLaw.Sgd);
        Assert.Equal(sgd.OptimalLr(16), p.OneStepOptimalLr(SurgeLaw.Sgd, 16), 12);
        var adam = p.Predicted(SurgeLaw.Adam);
        // small signal to noise (B = 1/16): erf is linear and the law is exact to within 1 %
        Assert.Equal(1, p.OneStepOptimalLr(SurgeLaw.Adam, 1.0 / 16) / adam.OptimalLr(1.0 / 16), 2);
        // large B: every sign is right, and the exact optimum levels off at sum g / sum H instead of falling
        Assert.True(p.OneStepOptimalLr(SurgeLaw.Adam, 1e6) > 2 * adam.OptimalLr(1e6));
        Assert.Equal(double.PositiveInfinity, (p with { Rho = 0 }).Predicted(SurgeLaw.Adam).BNoise); // no coupling, no surge
    }

    [Fact]
    public void Bad_noisy_quadratics_fail_naming_the_field()
    {
        var errors = new NoisyQuadratic(N: 0, LambdaLow: 2, LambdaHigh: 1, Rho: -1, Sigma: 0, X0: 0).Errors().ToList();
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("NoisyQuadratic.N must be >= 1, got 0"));
        Assert.Contains(errors, e => e.StartsWith("NoisyQuadratic.LambdaLow..LambdaHigh"));
        Assert.Contains(errors, e => e.StartsWith("NoisyQuadratic.Rho"));
        Assert.Contains(errors, e => e.StartsWith("NoisyQuadratic.Sigma"));
        Assert.Contains(errors, e => e.StartsWith("NoisyQuadratic.X0"));
        var grid = Assert.Throws<InvalidExperimentException>(() => Experiment.ValidateAll(
            [new Experiment(new NoisyQuadratic(N: 100), new Sgd(), Sampler.Shuffle, BatchSize: 64),
             new Experiment(new NoisyQuadratic(N: 100), new Sgd(), Sampler.Shuffle, BatchSize: 256)]));
        Assert.Contains("experiment 1: Experiment.BatchSize must be in [1, N = 100], got 256", grid.Message);
    }
}
