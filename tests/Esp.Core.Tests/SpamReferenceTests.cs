using System.Globalization;
using Xunit.Abstractions;

namespace Esp.Core.Tests;

/// <summary>Esp's SPAM against the authors' code (TianjinYellow/SPAM-Optimizer, galore_torch/SPAM.py) run in float64:
/// Fixtures/spam holds theta on four cases at every boundary of the schedule and every 50th step (its README says how
/// they were made), and Esp's SPAM, stepped as the engine steps it, must give the same theta to 1e-12 relative.</summary>
public sealed class SpamReferenceTests(ITestOutputHelper output)
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "spam");

    [Theory]
    [InlineData("a_defaults")]
    [InlineData("b_weight_decay")]
    [InlineData("c_short_periods")]
    [InlineData("d_quadratic")]
    public void Spam_computes_what_the_authors_code_computes_to_1e_12_relative(string name)
    {
        var s = Csv(name, "settings").ToDictionary(r => r[0], r => r[1]);
        double Get(string key) => double.Parse(s[key], CultureInfo.InvariantCulture);
        var spam = new Spam(Lr: Get("lr"), Beta1: Get("beta1"), Beta2: Get("beta2"), Eps: Get("eps"), Theta: Get("threshold"),
            DeltaT: (int)Get("delta_t"), WarmupSteps: (int)Get("warmup_steps"), ClipAfter: (int)Get("grad_accu_steps"), WeightDecay: Get("weight_decay"));
        Assert.Empty(spam.Errors());
        int steps = (int)Get("steps");
        var spikes = Csv(name, "spikes").Select(r => (int.Parse(r[0]), int.Parse(r[1]))).ToHashSet();
        double Spike(int t, int i) => spikes.Contains((t, i)) ? 1000 : 1;
        var expected = Csv(name, "theta").ToDictionary(r => int.Parse(r[0]), r => r.Skip(1).Select(Parse).ToArray());
        var theta0 = expected[0];
        int d = theta0.Length;

        Func<int, double[], double[]> gradient;
        if (s.ContainsKey("gradient_seed"))
        {
            // the gradients are regenerated, so first check that they are the authors' run's, bit for bit
            var rows = Normals(ulong.Parse(s["gradient_seed"]), steps + 1, d);
            Assert.Equal(theta0, rows[0]);
            Assert.Equal(Get("normal_sum"), rows.Skip(1).SelectMany(r => r).Aggregate(0.0, (a, x) => a + x));
            Assert.Equal(Get("normal_last"), rows[steps][d - 1]);
            gradient = (t, _) => Enumerable.Range(0, d).Select(i => rows[t][i] * Spike(t, i)).ToArray();
        }
        else
        {
            var problem = Csv(name, "problem").Select(r => (A: Parse(r[1]), C: Parse(r[2]))).ToArray();
            gradient = (t, theta) => Enumerable.Range(0, d).Select(i => problem[i].A * (theta[i] - problem[i].C) * Spike(t, i)).ToArray();
        }

        var (path, clipped, _) = SpamTests.Esp(spam, theta0, steps, gradient);
        Assert.True(clipped.Sum() > 0, "the case must exercise clipping");
        double worst = 0;
        foreach (var (t, want) in expected.Where(p => p.Key > 0))
            for (int i = 0; i < d; i++)
            {
                double relative = Math.Abs(path[t - 1][i] - want[i]) / Math.Abs(want[i]);
                worst = Math.Max(worst, relative);
                Assert.True(relative <= 1e-12, $"{name}, step {t}, theta_{i}: Esp {path[t - 1][i]:R}, the authors' code {want[i]:R}");
            }
        output.WriteLine($"{name}: {expected.Count - 1} stored steps of {steps}, largest relative difference {worst:G3}");
    }

    static double Parse(string x) => double.Parse(x, CultureInfo.InvariantCulture);

    static IEnumerable<string[]> Csv(string name, string part) =>
        File.ReadLines(Path.Combine(Folder, $"{name}.{part}.csv")).Skip(1).Select(l => l.Split(','));

    /// <summary>The fixtures' N(0, 1) draws: SplitMix64, 53-bit uniforms, Box-Muller's cosine branch, row by row.</summary>
    static double[][] Normals(ulong seed, int rows, int cols)
    {
        ulong state = seed;
        double Uniform()
        {
            state += 0x9E3779B97F4A7C15;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return ((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0);
        }
        double Normal()
        {
            double u1 = 1.0 - Uniform(), u2 = Uniform();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => Normal()).ToArray()).ToArray();
    }
}
