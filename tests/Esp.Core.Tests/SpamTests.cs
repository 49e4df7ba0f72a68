using FsCheck;
using FsCheck.Fluent;
using TorchSharp;
using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>SPAM against a literal step-by-step loop, its limits, and Adam's gradient-norm clipping against torch's.</summary>
public sealed class SpamTests
{
    /// <summary>SPAM written out coordinate by coordinate from its definition, in float64, on the authors' schedule: reset at
    /// t mod DeltaT = 0, clipping where t mod DeltaT >= ClipAfter, warm-up from the reset step, decay after the step.</summary>
    static List<double[]> Reference(Spam s, double[] theta0, IReadOnlyList<double[]> grads, out int clippedCoordinates, out int resets)
    {
        int d = theta0.Length;
        var (theta, m, v) = ((double[])theta0.Clone(), new double[d], new double[d]);
        var path = new List<double[]>();
        (clippedCoordinates, resets) = (0, 0);
        for (int t = 1; t <= grads.Count; t++)
        {
            int since = t % s.DeltaT;
            if (since == 0) { Array.Clear(m); Array.Clear(v); resets++; }
            bool clips = since >= s.ClipAfter;
            double scale = t >= s.DeltaT && since < s.WarmupSteps ? 1 - 0.99 * (1 + Math.Cos(Math.PI * since / (s.WarmupSteps + 1))) / 2 : 1;
            for (int i = 0; i < d; i++)
            {
                double g = grads[t - 1][i];
                if (clips && g * g > s.Theta * v[i]) { g = Math.Sign(g) * Math.Sqrt(s.Theta * v[i]); clippedCoordinates++; }
                m[i] = s.Beta1 * m[i] + (1 - s.Beta1) * g;
                v[i] = s.Beta2 * v[i] + (1 - s.Beta2) * g * g;
                double step = s.Lr * scale * Math.Sqrt(1 - Math.Pow(s.Beta2, t)) / (1 - Math.Pow(s.Beta1, t));
                theta[i] = (theta[i] - step * m[i] / (Math.Sqrt(v[i]) + s.Eps)) * (1 - s.Lr * s.WeightDecay);
            }
            path.Add((double[])theta.Clone());
        }
        return path;
    }

    /// <summary>Esp's SPAM on a batch of one ([1, D]), stepping theta by each returned dtheta; also what it reported.</summary>
    static (List<double[]> Path, double[] Clipped, double[] Resets) Esp(Optimizer o, double[] theta0, IReadOnlyList<double[]> grads) =>
        Esp(o, theta0, grads.Count, (t, _) => grads[t - 1]);

    /// <summary>The same with the gradient at step t (from 1) computed from theta before the step.</summary>
    internal static (List<double[]> Path, double[] Clipped, double[] Resets) Esp(Optimizer o, double[] theta0, int steps, Func<int, double[], double[]> gradient)
    {
        using var scope = NewDisposeScope();
        var theta = tensor(theta0, [1, theta0.Length], dtype: float64);
        using var state = o.InitRuns([o], theta);
        var (path, clipped, resets) = (new List<double[]>(), new List<double>(), new List<double>());
        for (int t = 1; t <= steps; t++)
        {
            var g = gradient(t, path.Count == 0 ? theta0 : path[^1]);
            theta.add_(state.Step(tensor(g, [1, g.Length], dtype: float64), theta, [o.Lr]));
            path.Add(theta[0].data<double>().ToArray());
            if (state.Reported is [var c, var r]) { clipped.Add(c!.item<double>()); resets.Add(r!.item<double>()); }
        }
        return (path, clipped.ToArray(), resets.ToArray());
    }

    static List<double[]> Gradients(int steps, int d, int seed, int spikeEvery = 0)
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, d)
            .Select(i => (rng.NextDouble() - 0.5) * (spikeEvery > 0 && t % spikeEvery == spikeEvery - 1 && i == 2 ? 1000 : 1)).ToArray()).ToList();
    }

    [Fact]
    public void Spam_equals_its_literal_definition_to_1e_12_around_resets_and_clipped_coordinates()
    {
        var spam = new Spam(Lr: 0.01, Theta: 50, DeltaT: 25, WarmupSteps: 10, ClipAfter: 5, WeightDecay: 0.01);
        var theta0 = Enumerable.Range(0, 7).Select(i => 0.3 * i - 1).ToArray();
        var grads = Gradients(80, 7, seed: 11, spikeEvery: 9); // coordinate 2 spikes 1000x every 9 steps
        var expected = Reference(spam, theta0, grads, out int clipped, out int resets);
        var (actual, reportedClipped, reportedResets) = Esp(spam, theta0, grads);

        Assert.True(clipped >= 5 && resets == 3, $"the case must exercise clipping ({clipped}) and resets ({resets})");
        for (int t = 0; t < expected.Count; t++)
            for (int i = 0; i < 7; i++)
                Assert.True(Math.Abs(actual[t][i] - expected[t][i]) <= 1e-12, $"step {t + 1}, coordinate {i}: {actual[t][i]:R} vs {expected[t][i]:R}");
        Assert.Equal(clipped, (int)Math.Round(reportedClipped.Sum() * 7));
        Assert.Equal([25, 50, 75], reportedResets.Select((r, t) => (r, t: t + 1)).Where(p => p.r == 1).Select(p => p.t));
    }

    [Fact]
    public void Without_clipping_resets_or_eps_spam_is_adam_with_eps_0_and_after_a_reset_its_moments_restart() =>
        Prop.ForAll(Gen.Choose(1, 1000).ToArbitrary(), Gen.Elements(0.9, 0.5, 0.0).ToArbitrary(), Gen.Elements(0.999, 0.9, 0.5).ToArbitrary(),
            (seed, beta1, beta2) =>
            {
                var spam = new Spam(Lr: 0.01, Beta1: beta1, Beta2: beta2, Eps: 0, Theta: double.PositiveInfinity, DeltaT: int.MaxValue);
                var theta0 = new double[] { 1, -2, 0.5, 3 };
                var grads = Gradients(40, 4, seed);
                var (asSpam, _, _) = Esp(spam, theta0, grads);
                var (asAdam, _, _) = Esp(new Adam(Lr: 0.01, Beta1: beta1, Beta2: beta2, Eps: 0), theta0, grads);
                for (int t = 0; t < 40; t++)
                    for (int i = 0; i < 4; i++)
                        if (Math.Abs(asSpam[t][i] - asAdam[t][i]) > 1e-12) return false;

                using var scope = NewDisposeScope();
                var reset = new Spam(DeltaT: 5, Theta: double.PositiveInfinity);
                var theta = zeros(1, 4, dtype: float64);
                using var state = reset.InitRuns([reset], theta);
                for (int t = 0; t < 4; t++) state.Step(tensor(grads[t], [1, 4], dtype: float64), theta, [0.01]);
                var g = tensor(grads[4], [1, 4], dtype: float64);
                state.Step(g, theta, [0.01]); // step 5 restarts the moments: m = (1 - b1) g, v = (1 - b2) g^2
                return state.M!.allclose(g.mul(1 - reset.Beta1), rtol: 0, atol: 1e-15)
                    && state.V!.allclose(g.mul(g).mul(1 - reset.Beta2), rtol: 0, atol: 1e-15);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));

    [Fact]
    public void Adams_gradient_norm_clipping_is_torchs_clip_grad_norm()
    {
        using var scope = NewDisposeScope();
        foreach (var (scale, maxNorm) in new[] { (10.0, 1.0), (0.01, 1.0), (3.0, 0.5) })
        {
            var g = randn(257, dtype: float64).mul(scale);
            var param = new TorchSharp.Modules.Parameter(zeros(257, dtype: float64));
            param.mul(g).sum().backward(); // param.grad = g
            nn.utils.clip_grad_norm_([param], maxNorm);
            var ours = GradientClipping.ClipNorm(g, tensor(new[] { maxNorm }, dtype: float64));
            Assert.True(ours.allclose(param.grad!, rtol: 1e-14, atol: 0), $"scale {scale}, max norm {maxNorm}");
        }
        // and the option runs: clipped Adam differs from plain Adam on a problem with large gradients
        var x = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
        var clippedRun = Engine.Run(x with { Optimizer = new Adam(ClipGradNorm: 0.01) }).RunRecords[0];
        Assert.NotEqual(Engine.Run(x).RunRecords[0].Losses, clippedRun.Losses);
        Assert.Equal(0.01, Engine.Run(x with { Optimizer = new Adam(ClipGradNorm: 0.01) }).Runs.GetColumn<double>("clip_grad_norm").GetAt(0));
    }

    [Fact]
    public void The_gradient_spike_probe_counts_what_spam_clips_and_is_refused_without_a_second_moment()
    {
        // SPAM clips exactly the coordinates where g^2 > theta v, the probe's rule, from step ClipAfter on.
        var spam = new Spam(Lr: 0.01, Theta: 50, ClipAfter: 5, DeltaT: 1000);
        var x = new Experiment(new QuadraticProblem(N: 200, D: 50, Rare: 5, RareA: 1000), spam, Sampler.Shuffle, Epochs: 6, BatchSize: 10,
            Probes: new Probes(GradientSpikeTheta: 50));
        var r = Engine.Run(x).RunRecords[0];
        var probe = r.Column("grad_spikes").Skip(4).ToArray();
        Assert.Equal(r.Column("spam_clipped").Skip(4), probe);
        Assert.True(probe.Sum() > 0, "the case must have spikes");

        var sgd = Assert.Throws<InvalidExperimentException>(() => Engine.Run(x with { Optimizer = new Sgd() }));
        Assert.Contains("Probes.GradientSpikeTheta compares g^2 with the optimizer's second moment v, and Sgd has none", sgd.Message);
        var zero = Assert.Throws<InvalidExperimentException>(() => Engine.Run(x with { Probes = new Probes(GradientSpikeTheta: 0) }));
        Assert.Contains("Probes.GradientSpikeTheta must be a positive threshold, got 0", zero.Message);
    }
}
