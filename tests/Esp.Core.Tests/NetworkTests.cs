using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>Networks as problems: results columns, determinism, samplers over datasets, validation before compute, weight-decay masks.</summary>
public sealed class NetworkTests(ITestOutputHelper output)
{
    static readonly Network Tabular = new(new Mlp(14, [100, 40], 4), new SyntheticTabular());
    static Experiment Small(Optimizer? optimizer = null, Sampler? sampler = null, int seed = 0, Network? problem = null) =>
        new(problem ?? Tabular, optimizer ?? new Adam(1e-3), sampler ?? Sampler.Shuffle, Epochs: 3, BatchSize: 32, Seed: seed);

    [Fact]
    public void A_network_run_records_steps_settings_and_validation_per_epoch()
    {
        var results = Engine.Run(Small());
        var r = results.RunRecords[0];

        Assert.Equal(RunStatus.Completed, r.Status);
        Assert.Equal(3 * 32, r.StepsTaken); // 1000 rows at batch 32: 31 full batches and one of 8, per epoch
        Assert.Equal(["val_loss", "val_accuracy"], r.EpochColumnNames);
        Assert.Equal(3, r.EpochColumn("val_loss").Length);
        Assert.All(r.EpochColumn("val_accuracy"), a => Assert.InRange(a, 0, 1));
        Assert.True(r.EpochColumn("val_loss")[^1] < r.EpochColumn("val_loss")[0], "the validation loss fell");
        var runs = results.Runs;
        Assert.Equal("mlp 14-100-40-4 relu", runs.GetColumn<string>("model").Values.Single());
        Assert.Equal("tabular 1000/250 14x4", runs.GetColumn<string>("data").Values.Single());
        Assert.Equal(14 * 100 + 100 + 100 * 40 + 40 + 40 * 4 + 4, runs.GetColumn<int>("d").Values.Single());
        Assert.Equal(3, results.Epochs.RowCount);
    }

    [Fact]
    public void The_same_description_and_seed_give_the_same_numbers_bit_for_bit_and_another_seed_does_not()
    {
        var dropout = Tabular with { Model = new Mlp(14, [100, 40], 4, Dropout: 0.2) };
        var a = Engine.Run(Small(problem: dropout)).RunRecords[0].Losses;
        var b = Engine.Run(Small(problem: dropout)).RunRecords[0].Losses;
        var c = Engine.Run(Small(problem: dropout, seed: 1)).RunRecords[0].Losses;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Samplers_visit_a_dataset_as_they_visit_the_quadratic_problem()
    {
        // DropLast drops the partial batch of 8; every sampler takes the same number of steps otherwise.
        Assert.Equal(3 * 31, Engine.Run(Small(sampler: Sampler.Shuffle with { DropLast = true })).RunRecords[0].StepsTaken);
        foreach (var sampler in new[] { Sampler.Sequential, Sampler.Reverse, Sampler.WithReplacement })
            Assert.Equal(3 * 32, Engine.Run(Small(sampler: sampler)).RunRecords[0].StepsTaken);

        // Sequential order: the first batch of every epoch is rows 0..31, so at an unchanged theta (lr ~ 0)
        // the loss at each epoch's first step is the same; with shuffling it is not.
        var still = new Sgd(Lr: 1e-300);
        var sequential = Engine.Run(Small(still, Sampler.Sequential)).RunRecords[0].Losses;
        var shuffled = Engine.Run(Small(still, Sampler.Shuffle)).RunRecords[0].Losses;
        Assert.Equal(sequential[0], sequential[32]);
        Assert.Equal(sequential[0], sequential[64]);
        Assert.NotEqual(shuffled[0], shuffled[32]);
    }

    [Fact]
    public void A_grid_in_any_order_gives_every_run_the_same_numbers()
    {
        var grid = new[] { Small(), Small(seed: 1), Small(new Sgd(0.05, Momentum: 0.9)), Small(sampler: Sampler.Sequential) };
        var alone = grid.Select(x => Engine.Run(x).RunRecords[0].Losses).ToArray();

        Prop.ForAll(Gen.Shuffle(Enumerable.Range(0, grid.Length).ToArray()).ToArbitrary(), order =>
        {
            var results = Engine.Run(order.Select(i => grid[i]), options: new EngineOptions(Threads: 2));
            return order.Select((i, k) => results.RunRecords[k].Losses.SequenceEqual(alone[i])).All(same => same);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5));
    }

    [Fact]
    public void Weight_decay_on_weights_only_leaves_the_biases_undecayed()
    {
        // With a learning rate so small that gradients barely move anything, AdamW's decoupled decay alone sets the
        // change of each parameter: lr * wd * theta on every weight, nothing on the biases.
        var layout = Tabular.Model.Layout;
        var mask = layout.Mask(s => s.Decay);
        foreach (var s in layout.Segments)
            Assert.All(mask.Skip((int)s.Offset).Take((int)s.Size), m => Assert.Equal(s.Name.EndsWith(".weight") ? 1.0 : 0.0, m));

        using var scope = NewDisposeScope();
        var theta = tensor(layout.Initial(Rng.For(0, "init")), float64).unsqueeze(0);
        var zero = zeros_like(theta);
        var optimizer = new AdamW(Lr: 0.1, WeightDecay: 0.5);
        using var state = optimizer.InitRuns([optimizer], theta, tensor(mask, float64));
        var delta = state.Step(zero, theta, [0.1]).squeeze(0).data<double>().ToArray();
        var start = theta.squeeze(0).data<double>().ToArray();
        for (int i = 0; i < delta.Length; i++)
            Assert.Equal(mask[i] * -0.1 * 0.5 * start[i], delta[i], 1e-15);
    }

    [Fact]
    public void A_lenet_trains_on_fashion_mnist_and_its_layout_has_pytorchs_shapes()
    {
        var lenet = new LeNet();
        Assert.Equal(6 * 25 + 6 + 16 * 150 + 16 + 400 * 120 + 120 + 120 * 84 + 84 + 84 * 10 + 10, lenet.Layout.D);
        var layout = lenet.Layout;
        var bound = 1 / Math.Sqrt(150);
        var init = layout.Initial(Rng.For(3, "init"));
        var conv2 = init.Skip((int)layout["conv2.weight"].Offset).Take((int)layout["conv2.weight"].Size).ToArray();
        Assert.All(conv2, w => Assert.InRange(w, -bound, bound)); // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        Assert.True(conv2.Max() > 0.9 * bound && conv2.Min() < -0.9 * bound);

        var x = new Experiment(new Network(lenet, new FashionMnist(TrainExamples: 1024, ValidationExamples: 512)), new Adam(1e-3),
            Sampler.Shuffle, Epochs: 2, BatchSize: 64);
        var r = Engine.Run(x).RunRecords[0];
        output.WriteLine($"lenet: loss {r.Losses[0]:F3} -> {r.Losses[^1]:F3}, validation accuracy {string.Join(", ", r.EpochColumn("val_accuracy"))}");
        Assert.InRange(r.Losses[0], 2.0, 2.6); // about ln 10 at PyTorch's initialisation
        // 32 steps: far from trained, but well above chance (0.1) and improving
        Assert.True(r.EpochColumn("val_accuracy")[^1] > 3 * 0.1, $"validation accuracy {r.EpochColumn("val_accuracy")[^1]}");
        Assert.True(r.EpochColumn("val_loss")[1] < r.EpochColumn("val_loss")[0]);
    }

    [Theory]
    [InlineData("inputs", "Network: the model reads 10 inputs per example but tabular 1000/250 14x4 has 14 features: set the model's inputs to 14")]
    [InlineData("classes", "Network: the model scores 3 classes but tabular 1000/250 14x4 has 4: set the model's outputs to 4")]
    [InlineData("empty", "SyntheticTabular.TrainExamples must be >= 1, got 0: use e.g. 1000")]
    [InlineData("batch", "Experiment.BatchSize must be in [1, N = 1000], got 5000")]
    [InlineData("folder", "FashionMnist: /nowhere/train-images-idx3-ubyte.gz")]
    [InlineData("decay", "Network.DecayOn = WeightsOnly needs an optimizer that can mask weight decay")]
    public void Bad_network_descriptions_are_refused_before_any_compute(string what, string message)
    {
        var x = what switch
        {
            "inputs" => Small(problem: Tabular with { Model = new Mlp(10, [8], 4) }),
            "classes" => Small(problem: Tabular with { Model = new Mlp(14, [8], 3) }),
            "empty" => Small(problem: Tabular with { Data = new SyntheticTabular(TrainExamples: 0) }),
            "batch" => Small() with { BatchSize = 5000 },
            "folder" => Small(problem: new Network(new Mlp(784, [8], 10), new FashionMnist(Folder: "/nowhere"))),
            _ => Small(new NewOptimizerTests.SignDescent(), problem: Tabular with { DecayOn = DecayOn.WeightsOnly }),
        };
        int started = 0;
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([x], onRunDone: _ => started++));
        Assert.Contains(message, e.Message);
        Assert.Equal(0, started);
        if (what == "folder") Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Theory]
    [InlineData(new[] { 5_402_475 }, "4,294,967,635")] // wrapped to 339 in 32 bits
    [InlineData(new[] { 3_000_000 }, "2,385,000,010")]
    [InlineData(new[] { 200_000, 200_000 }, "40,159,200,010")]
    public void A_model_over_the_parameters_one_run_can_hold_is_refused_with_its_true_count(int[] hidden, string count)
    {
        var mlp = new Mlp(784, hidden, 10);
        Assert.Equal(long.Parse(count.Replace(",", "")), mlp.Layout.Count);
        var x = new Experiment(new Network(mlp, new FashionMnist(TrainExamples: 100, ValidationExamples: 10)), new Adam(1e-3), Sampler.Shuffle, Epochs: 1);
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(x));
        Assert.Contains($"{mlp.Label} has {count} parameters, over the 2,147,483,647 one run can hold: use smaller layers", e.Message);
        Assert.DoesNotContain("D =", e.Message);
    }

    [Fact]
    public void A_diverging_network_run_stops_and_says_when()
    {
        var log = new StringWriter();
        var results = Engine.Run([Small(new Sgd(Lr: 1e6))], log);
        var r = results.RunRecords[0];

        Assert.Equal(RunStatus.Diverged, r.Status);
        Assert.Contains("diverged: the batch loss became", log.ToString());
        Assert.True(r.StepsTaken < 3 * 32);
        Assert.False(double.IsFinite(r.Losses[^1]));
    }
}

/// <summary>A researcher's own data from a CSV file.</summary>
public sealed class CsvDatasetTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("esp-csv-").FullName;
    public void Dispose() => Directory.Delete(folder, recursive: true);

    string Write(string text) { var path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv"); File.WriteAllText(path, text); return path; }

    [Fact]
    public void A_csv_file_trains_a_network_with_a_fixed_validation_split()
    {
        // two separable classes: the label is whether x0 + x1 > 0
        var rng = new Rng(5);
        var rows = Enumerable.Range(0, 400).Select(_ => (A: rng.Uniform(-1, 1), B: rng.Uniform(-1, 1), C: rng.Uniform(-1, 1))).ToList();
        var path = Write("x0,label,x1,x2\n" + string.Join("\n", rows.Select(r => FormattableString.Invariant($"{r.A},{(r.A + r.B > 0 ? 1 : 0)},{r.B},{r.C}"))));
        var data = new CsvDataset(path, ValidationFraction: 0.25);

        Assert.Equal((300, 100, 3, 2), (data.TrainExamples, data.ValidationExamples, data.Features, data.Classes));
        var loaded = data.Load(0);
        Assert.Equal(loaded.TrainY, data.Load(7).TrainY); // the split does not depend on the run's seed
        Assert.Equal(400, loaded.TrainY.Concat(loaded.ValidationY).Count());
        var r = Engine.Run(new Experiment(new Network(new Mlp(3, [16], 2), data), new Adam(1e-2), Sampler.Shuffle, Epochs: 20, BatchSize: 20))
            .RunRecords[0];
        Assert.True(r.EpochColumn("val_accuracy")[^1] > 0.9, $"validation accuracy {r.EpochColumn("val_accuracy")[^1]}");
    }

    [Theory]
    [InlineData("a,b\n1,2\n", "has no column \"label\" (columns: a, b): set CsvDataset.LabelColumn")]
    [InlineData("a,label\n1,0\n2\n", "(3): 1 values, the header has 2")]
    [InlineData("a,label\n1,0\nx,1\n", "(3): column \"a\" holds \"x\", not a finite number")]
    [InlineData("a,label\n1,0.5\n", "(2): label \"0.5\" is not a class number")]
    [InlineData("a,label\n", "no data rows under the header")]
    [InlineData("a,label\n1,0\n\n\n2,1\n\nx,1\n", "(7): column \"a\" holds \"x\"")] // the file's line, blank lines counted
    [InlineData("a,label\n1,1\n2,2\n", "the \"label\" column must hold the class numbers 0..C-1, found {1, 2} (1 of 0..2 never occur: {0})")]
    [InlineData("a,label\n1,0\n2,5\n", "found {0, 5} (4 of 0..5 never occur: {1, 2, 3, 4})")]
    [InlineData("a,label\n1,0\n2,2147483647\n", "(3): label \"2147483647\" is not a class number 0, 1, 2, ... (below 1,000,000)")]
    [InlineData("a,label\n1,0\n2,4294967296\n", "(3): label \"4294967296\" is not a class number")]
    public void A_bad_csv_file_is_refused_before_any_compute_naming_the_line(string text, string message)
    {
        var data = new CsvDataset(Write(text));
        var e = Assert.Throws<InvalidExperimentException>(() =>
            Engine.Run(new Experiment(new Network(new Mlp(1, [4], 2), data), new Adam(1e-3), Sampler.Shuffle, Epochs: 1, BatchSize: 1)));
        Assert.Contains(message, e.Message);
        Assert.Single(e.Errors); // one message per cause: no "set the model's inputs to 0" after it
    }
}
