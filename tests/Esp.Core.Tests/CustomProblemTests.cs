using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>
/// Problems written as a loss in TorchSharp ops (CustomProblem): the paper's quadratic written so gives QuadraticProblem's
/// numbers on the tensor path; a custom problem runs with every optimizer, sampler and probe, in claims, and (in
/// CheckpointTests) resumes bit for bit; a malformed one is refused before compute, and a loss that is not one number
/// by its shape. Models written as a forward pass (CustomModel): an MLP written so trains bit for bit as Mlp.
/// </summary>
public sealed class CustomProblemTests
{
    /// <summary>The paper's f_i(x) = a_i (x[d_i] - c_i)^2 + b_i, its coefficients drawn as QuadraticProblem draws them.</summary>
    internal static CustomProblem<Tensor[]> PaperQuadratic(int n, int d) => new("paper quadratic", n,
        ParamLayout.Of([("x", [d], ParamInit.Zeros, 1, true)]),
        Data: seed =>
        {
            var q = QuadraticData.Draw(new QuadraticProblem(N: n, D: d), seed);
            return [tensor(q.A), tensor(q.B), tensor(q.C), tensor(q.Dim.Select(i => (long)i).ToArray())];
        },
        Loss: (q, theta, batch) =>
        {
            var x = theta("x").index_select(0, q[3].index_select(0, batch));
            return q[0].index_select(0, batch).mul(x.sub(q[2].index_select(0, batch)).square()).add(q[1].index_select(0, batch)).mean();
        },
        Start: _ => Enumerable.Repeat(3.0, d).ToArray());

    /// <summary>Rosenbrock's valley with a noisy target per example: (a_i - x)^2 + 100 (y - x^2)^2, a_i ~ N(1, 0.3^2).</summary>
    static readonly CustomProblem<Tensor> NoisyRosenbrock = new("noisy rosenbrock", 256,
        ParamLayout.Of([("x", [1], ParamInit.Zeros, 1, true), ("y", [1], ParamInit.Zeros, 1, true)]),
        Data: seed =>
        {
            var rng = Rng.For(seed, "targets");
            return tensor(Enumerable.Range(0, 256).Select(_ => 1 + 0.3 * rng.Normal()).ToArray());
        },
        Loss: (a, theta, batch) => a.index_select(0, batch).sub(theta("x")).square().add(theta("y").sub(theta("x").square()).square().mul(100)).mean(),
        Start: _ => [-1.5, 2.0]);

    [Fact]
    public void The_papers_quadratic_written_as_a_loss_gives_QuadraticProblems_numbers_on_the_tensor_path()
    {
        var probes = new Probes(GradNorm: true, MomentNorms: true, EpochEndFullLoss: true);
        Experiment On(Problem p) => new(p, new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 4, BatchSize: 15, Seed: 3, Probes: probes);
        var tensors = new EngineOptions(Backend: Backend.Tensors);
        var custom = Engine.Run([On(PaperQuadratic(300, 300))], TextWriter.Null, options: tensors).RunRecords[0];
        var builtIn = Engine.Run([On(new QuadraticProblem(N: 300, D: 300))], TextWriter.Null, options: tensors).RunRecords[0];

        Assert.Equal(RunStatus.Completed, custom.Status);
        Assert.Equal(builtIn.StepColumnNames, custom.StepColumnNames);
        for (int c = 0; c < builtIn.StepColumns.Count; c++)
            for (int t = 0; t < builtIn.StepsTaken; t++)
                Assert.True(Math.Abs(custom.StepColumns[c][t] - builtIn.StepColumns[c][t]) <= 1e-10 * Math.Abs(builtIn.StepColumns[c][t]),
                    $"{builtIn.StepColumnNames[c]} at step {t}: {custom.StepColumns[c][t]:R} against {builtIn.StepColumns[c][t]:R}");
        Assert.Equal(builtIn.EpochColumns[0].Length, custom.EpochColumns[0].Length);
        Assert.Equal(builtIn.EpochColumns[0], custom.EpochColumns[0], (a, b) => Math.Abs(a - b) <= 1e-10 * Math.Abs(b));
        Assert.Contains(("problem", (object)"paper quadratic"), custom.Experiment.Settings());
    }

    [Fact]
    public void A_custom_problem_runs_with_every_optimizer_sampler_and_probe()
    {
        var optimizers = new Optimizer[] { new Adam(1e-2), new AdamW(1e-2, WeightDecay: 0.01), new RmsProp(1e-3), new Sgd(1e-4, Momentum: 0.9), new Spam(1e-2) };
        var samplers = new[] { Sampler.Shuffle, Sampler.Sequential, Sampler.Reverse, Sampler.WithReplacement };
        var probes = new Probes(GradNorm: true, MomentNorms: true, StepNorm: true, TrackedBatch: 2, Coordinates: [0, 1], EpochEndFullLoss: true,
            BatchLossesAtEpochStart: [0]);
        var grid = optimizers.SelectMany(o => samplers.Select(s => new Experiment(NoisyRosenbrock, o, s, Epochs: 6, BatchSize: 16, Probes: probes)));
        var runs = Engine.Run(grid, TextWriter.Null).RunRecords;

        Assert.Equal(20, runs.Count);
        foreach (var r in runs)
        {
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.Equal(6 * 16, r.StepsTaken);
            Assert.All(r.StepColumns, column => Assert.All(column, v => Assert.False(double.IsInfinity(v))));
            var full = r.EpochEndFullLoss; // from 12.5 + the targets' noise at the start, every optimizer descends
            Assert.Equal(6, full.Length);
            Assert.True(full[^1] < 12.5, $"{r.Experiment.Optimizer.GetType().Name} with {r.Experiment.Sampler}: full loss {full[0]} -> {full[^1]}");
            _ = EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch);
        }
    }

    [Fact]
    public void A_claim_draws_and_shrinks_cases_of_a_custom_problem()
    {
        // false for learning rates from 0.02 up on this start: shrunk to the least such one on the grid, seed 0
        var cases = from lr in Gens.Double(0.001, 0.05, "lr")
                    from seed in Gens.Int(0, 1000, "seed")
                    select new Experiment(NoisyRosenbrock, new Adam(lr), Sampler.Shuffle, Epochs: 4, BatchSize: 32, Seed: seed);
        var result = Claims.Check(Claim.Of("Adam's lr stays below 0.02", cases, r => ((Adam)r.Experiment.Optimizer).Lr < 0.02, cases: 10));
        Assert.False(result.Holds);
        Assert.Equal("lr=0.02, seed=0", result.Counterexample!.ChoicesText);
    }

    [Fact]
    public void An_mlp_written_as_a_custom_model_trains_bit_for_bit_as_Mlp_dropout_included()
    {
        var custom = new CustomModel("my mlp", 14, 4,
            ParamLayout.Of([.. Model.Linear("layer0", 14, 32), .. Model.Linear("layer1", 32, 16), .. Model.Linear("layer2", 16, 4)]),
            (w, x, dropout) =>
            {
                var h = dropout(nn.functional.relu(Model.Linear(w, "layer0", x)), 0.2);
                h = dropout(nn.functional.relu(Model.Linear(w, "layer1", h)), 0.2);
                return Model.Linear(w, "layer2", h);
            }, ActivationsPerExample: 4 * (32 + 16));
        var data = new SyntheticTabular(TrainExamples: 300, ValidationExamples: 60);
        Experiment On(Model m) => new(new Network(m, data), new Adam(1e-2), Sampler.Shuffle, Epochs: 3, BatchSize: 32, Seed: 4);
        var mlp = Engine.Run(On(new Mlp(14, [32, 16], 4, Dropout: 0.2))).RunRecords[0];
        var own = Engine.Run(On(custom)).RunRecords[0];

        Assert.Equal(mlp.Losses, own.Losses);
        Assert.Equal(mlp.EpochColumn("val_loss"), own.EpochColumn("val_loss"));
        Assert.Contains(("model", (object)"my mlp"), own.Experiment.Settings());

        var wrong = custom with { Logits = (w, x, _) => Model.Linear(w, "layer0", x) };
        var thrown = Assert.ThrowsAny<Exception>(() => { Engine.Run(On(wrong)); });
        Assert.Contains("CustomModel my mlp: Logits must give [batch, Outputs] = [32, 4], got [32, 32]", thrown.ToString());
    }

    [Fact]
    public void A_malformed_custom_problem_is_refused_before_compute_and_a_loss_that_is_not_one_number_by_its_shape()
    {
        var bad = PaperQuadratic(100, 10) with { Name = "", N = 0, Layout = ParamLayout.Of([]) };
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(new Experiment(bad, new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 10)));
        Assert.Contains("CustomProblem.Name must name the problem", e.Message);
        Assert.Contains("CustomProblem.N must be >= 1 (the examples a sampler orders), got 0", e.Message);
        Assert.Contains("CustomProblem.Layout must have at least one segment", e.Message);

        var undecayedY = NoisyRosenbrock with { Layout = ParamLayout.Of([("x", [1], ParamInit.Zeros, 1, true), ("y", [1], ParamInit.Zeros, 1, false)]) };
        e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(new Experiment(undecayedY, new NewOptimizerTests.SignDescent(), Sampler.Shuffle, Epochs: 4, BatchSize: 16)));
        Assert.Contains("CustomProblem noisy rosenbrock's layout, which keeps weight decay off y, needs an optimizer that can mask weight decay (Esp's own), " +
            "got SignDescent: mark every segment as decayed, or use one of Esp's optimizers", e.Message);
        Assert.Empty(new Experiment(undecayedY, new AdamW(), Sampler.Shuffle, Epochs: 4, BatchSize: 16).Errors());

        var perExample = NoisyRosenbrock with { Loss = (a, theta, batch) => a.index_select(0, batch).sub(theta("x")).square() };
        var thrown = Assert.ThrowsAny<Exception>(() => Engine.Run(new Experiment(perExample, new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 16)));
        Assert.Contains("CustomProblem noisy rosenbrock: Loss must give one number (the batch's mean loss), got a tensor of shape [16]", thrown.ToString());
    }
}
