using System.Globalization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>Esp's Lion against the authors' PyTorch code (google/automl, lion/lion_pytorch.py) run in float64 on fixed
/// gradient sequences (Fixtures/lion, whose README says how they were made): stepped as the engine steps it (theta +=
/// the state's dtheta), Esp's theta must be the authors' to 1e-12 relative at every step.</summary>
public sealed class LionReferenceTests(ITestOutputHelper output)
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lion");

    [Theory]
    [InlineData("a_defaults", 1e-4, 0.9, 0.99, 0.0)]
    [InlineData("b_weight_decay", 3e-4, 0.9, 0.99, 0.1)]
    [InlineData("c_betas", 1e-3, 0.95, 0.98, 0.01)]
    [InlineData("d_quadratic", 1e-2, 0.9, 0.99, 0.0)]
    public void Lion_computes_what_the_authors_code_computes_to_1e_12_relative(string name, double lr, double beta1, double beta2, double weightDecay)
    {
        var rows = File.ReadLines(Path.Combine(Folder, $"{name}.csv")).Skip(1)
            .Select(l => l.Split(',').Skip(1).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToList();
        int d = rows[0].Length / 2;
        var lion = new Lion(lr, beta1, beta2, weightDecay);
        Assert.Empty(lion.Errors());

        using var scope = NewDisposeScope();
        var theta = tensor(rows[0][d..], [1, d], dtype: ScalarType.Float64);
        using var state = lion.InitRuns([lion], theta);
        double worst = 0;
        for (int t = 1; t < rows.Count; t++)
        {
            var grad = tensor(rows[t][..d], [1, d], dtype: ScalarType.Float64);
            theta.add_(state.Step(grad, theta, [lr]));
            var got = theta.data<double>().ToArray();
            for (int i = 0; i < d; i++)
            {
                double want = rows[t][d + i], relative = Math.Abs(got[i] - want) / Math.Abs(want);
                worst = Math.Max(worst, relative);
                Assert.True(relative <= 1e-12, $"{name}, step {t}, theta_{i}: Esp {got[i]:R}, the authors' code {want:R}");
            }
        }
        Assert.Equal(rows.Count - 1, state.StepCount);
        output.WriteLine($"{name}: {rows.Count - 1} steps, largest relative difference {worst:G3}");
    }

    [Fact]
    public void Lion_batches_runs_with_different_numbers_as_each_alone_and_checkpoints()
    {
        var runs = new[] { new Lion(1e-2), new Lion(3e-2, Beta1: 0.8, WeightDecay: 0.1), new Lion(1e-2, Beta2: 0.95, WeightDecay: 0.1) };
        var grid = runs.Select((o, k) => new Experiment(new QuadraticProblem(N: 200, D: 150), o, Sampler.Shuffle, Epochs: 4, BatchSize: 20, Seed: k)).ToList();
        var batched = Engine.Run(grid, TextWriter.Null);
        Assert.Equal(2, BatchPlan.Make(grid, EngineOptions.Default).Count); // with and without weight decay
        foreach (var (x, k) in grid.Select((x, k) => (x, k)))
        {
            var alone = Engine.Run(x).RunRecords[0];
            Assert.Equal(RunStatus.Completed, alone.Status);
            Assert.Equal(alone.Losses, batched.RunRecords[k].Losses, (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Abs(b));
        }
        Assert.Empty(new Experiment(new QuadraticProblem(N: 200, D: 150), runs[0], Sampler.Shuffle, Probes: new Probes(MomentNorms: true)).Errors());
        Assert.Contains("has none", string.Join(" ", new Experiment(new QuadraticProblem(N: 200, D: 150), runs[0], Sampler.Shuffle,
            Probes: new Probes(GradientSpikeTheta: 50)).Errors()));
    }
}
