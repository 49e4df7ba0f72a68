using FsCheck;
using FsCheck.Fluent;

namespace Esp.Core.Tests;

/// <summary>
/// Checkpoints: a batch resumed from its state after any epoch gives exactly (bit for bit) the numbers of the
/// uninterrupted run, for a network with dropout, for a batch of quadratic runs with a stateful sampler and for a
/// problem written as a script's loss.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("esp-checkpoints-").FullName;
    public void Dispose() => Directory.Delete(folder, recursive: true);

    const int Epochs = 6;
    static readonly Probes Probed = new(GradNorm: true, MomentNorms: true, StepNorm: true, EpochEndFullLoss: true,
        BatchLossesAtEpochStart: [0, 3]);

    static Experiment[] Grid(bool network) => network
        ? [new(new Network(new Mlp(14, [32, 16], 4, Dropout: 0.2), new SyntheticTabular(TrainExamples: 200, ValidationExamples: 50)),
              new Adam(1e-2), Sampler.Shuffle, Epochs: Epochs, BatchSize: 32, Seed: 3, Probes: Probed)]
        : [new(new QuadraticProblem(N: 200, D: 200), new Sgd(0.05, Momentum: 0.9), Sampler.Reverse, Epochs: Epochs, BatchSize: 20, Probes: Probed),
           new(new QuadraticProblem(N: 200, D: 200), new Sgd(0.02, Momentum: 0.9), Sampler.Reverse, Epochs: Epochs, BatchSize: 20, Seed: 1, Probes: Probed)];

    /// <summary>A network, a batch of quadratic runs, or the paper's quadratic written as a script's loss (CustomProblem).</summary>
    static Experiment[] Grid(string kind) => kind switch
    {
        "custom" => [new(CustomProblemTests.PaperQuadratic(200, 200), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: Epochs, BatchSize: 20, Seed: 2, Probes: Probed)],
        _ => Grid(network: kind == "network"),
    };

    [Fact]
    public void Resuming_from_any_epoch_gives_the_uninterrupted_numbers_bit_for_bit() =>
        Prop.ForAll(Gen.Elements("network", "quadratic", "custom").ToArbitrary(), Gen.Choose(1, Epochs - 1).ToArbitrary(), (kind, after) =>
        {
            var run = Path.Combine(folder, Guid.NewGuid().ToString("N"));
            var options = new EngineOptions(CheckpointEvery: 1, CheckpointFolder: run);
            var grid = Grid(kind);
            var whole = Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
            foreach (var file in Directory.GetFiles(run).Where(f => EpochOf(f) > after)) File.Delete(file); // interrupted after `after` epochs

            var log = new StringWriter();
            var resumed = Engine.Run(grid, log, options: options with { Resume = true }).RunRecords;

            Assert.Contains($"resumed from the checkpoint after epoch {after} ", log.ToString());
            foreach (var (a, b) in whole.Zip(resumed))
            {
                Assert.Equal(a.StepsTaken, b.StepsTaken);
                Assert.Equal(a.StepColumnNames, b.StepColumnNames);
                for (int c = 0; c < a.StepColumns.Count; c++) Assert.Equal(a.StepColumns[c], b.StepColumns[c]);
                for (int c = 0; c < a.EpochColumns.Count; c++) Assert.Equal(a.EpochColumns[c], b.EpochColumns[c]);
                Assert.Equal(a.BatchLosses, b.BatchLosses);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(12));

    static int EpochOf(string file) => int.Parse(Path.GetFileNameWithoutExtension(file).Split("-epoch")[1]);

    [Fact]
    public void A_finished_run_resumes_without_computing_and_a_checkpoint_is_kept_every_k_epochs()
    {
        var options = new EngineOptions(CheckpointEvery: 4, CheckpointFolder: folder);
        var grid = Grid(network: true);
        var whole = Engine.Run(grid, TextWriter.Null, options: options).RunRecords[0];
        Assert.Equal([4, 6], Directory.GetFiles(folder).Select(EpochOf).Order()); // every 4 epochs and at the end

        var log = new StringWriter();
        var again = Engine.Run(grid, log, options: options with { Resume = true }).RunRecords[0];
        Assert.Contains($"resumed from the checkpoint after epoch {Epochs} ", log.ToString());
        Assert.Equal(whole.Losses, again.Losses);
    }

    [Fact]
    public void Checkpoints_change_neither_a_fused_runs_path_nor_its_numbers()
    {
        // The paper's problem at beta2 0.8, where two trajectories that differ in one rounding separate: any change
        // of path or of arithmetic would show in the losses.
        var grid = new[] { 0, 1 }.Select(seed => new Experiment(new QuadraticProblem(), new Adam(Beta2: 0.8), Sampler.Shuffle,
            Epochs: 8, BatchSize: 100, Seed: seed, Probes: new Probes(MomentNorms: true, EpochEndFullLoss: true))).ToArray();
        var options = new EngineOptions(CheckpointEvery: 1, CheckpointFolder: folder);
        Assert.All(BatchPlan.Make(grid, options), b => Assert.Equal(Backend.Fused, b.Backend));

        var plain = Engine.Run(grid, TextWriter.Null).RunRecords;
        var saved = Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
        Assert.Equal(2 * 8, Directory.GetFiles(folder, "run-*.ckpt").Length);
        foreach (var file in Directory.GetFiles(folder).Where(f => EpochOf(f) > 3)) File.Delete(file);
        var log = new StringWriter();
        var resumed = Engine.Run(grid, log, options: options with { Resume = true }).RunRecords;

        Assert.Equal(2, log.ToString().Split("resumed from the checkpoint after epoch 3 ").Length - 1);
        foreach (var other in new[] { saved, resumed })
            foreach (var (a, b) in plain.Zip(other))
            {
                Assert.Equal(a.StepColumns, b.StepColumns);
                Assert.Equal(a.EpochColumns, b.EpochColumns);
            }
    }

    [Theory]
    [InlineData(true, "flip")]
    [InlineData(true, "cut")]
    [InlineData(false, "flip")]
    [InlineData(false, "empty")]
    public void A_corrupt_checkpoint_is_skipped_for_the_one_before_it_by_name(bool network, string fault)
    {
        var options = new EngineOptions(CheckpointEvery: 1, CheckpointFolder: folder);
        var grid = Grid(network);
        var whole = Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
        foreach (var file in Directory.GetFiles(folder).Where(f => EpochOf(f) > 4)) File.Delete(file);
        var newest = Directory.GetFiles(folder).Where(f => EpochOf(f) == 4).ToList();
        foreach (var file in newest)
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, fault switch
            {
                "flip" => bytes.Select((b, i) => i == bytes.Length / 2 ? (byte)(b ^ 0x40) : b).ToArray(),
                "cut" => bytes[..(bytes.Length * 2 / 3)],
                _ => [],
            });
        }

        var log = new StringWriter();
        var resumed = Engine.Run(grid, log, options: options with { Resume = true }).RunRecords;
        var said = log.ToString();
        foreach (var file in newest)
            Assert.Contains($"skipped checkpoint {file}: checkpoint {file} is corrupt: " +
                (fault == "flip" ? "its SHA-256 does not match its content" : fault == "cut" ? "its SHA-256" : "0 bytes, cut short"), said);
        Assert.Contains("resumed from the checkpoint after epoch 3 ", said);
        foreach (var (a, b) in whole.Zip(resumed)) Assert.Equal(a.StepColumns, b.StepColumns);
    }

    [Theory]
    [InlineData("every", "EngineOptions.CheckpointEvery must be >= 1 epoch, got 0")]
    [InlineData("folder", "EngineOptions.CheckpointFolder must name a folder when CheckpointEvery is set")]
    [InlineData("resume", "EngineOptions.Resume needs checkpoints to resume from, but CheckpointEvery is null")]
    [InlineData("optimizer", "EngineOptions.CheckpointEvery needs an optimizer whose state Esp can save")]
    public void Bad_checkpoint_options_are_refused_before_any_compute(string what, string message)
    {
        var x = Grid(network: true)[0];
        var (options, grid) = what switch
        {
            "every" => (new EngineOptions(CheckpointEvery: 0, CheckpointFolder: folder), x),
            "folder" => (new EngineOptions(CheckpointEvery: 1), x),
            "resume" => (new EngineOptions(Resume: true), x),
            _ => (new EngineOptions(CheckpointEvery: 1, CheckpointFolder: folder), x with { Optimizer = new NewOptimizerTests.SignDescent() }),
        };
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([grid], options: options));
        Assert.Contains(message, e.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_branch_from_a_checkpoint_equals_the_uninterrupted_run_of_its_own_description()
    {
        // One constant-lr parent serves a decay branch: the branch's numbers are those of a run that had the decaying
        // schedule from the start, since until the branch point its factor is 1 as the parent's.
        var options = new EngineOptions(CheckpointEvery: 2, CheckpointFolder: folder);
        var parent = Grid(network: true)[0];
        int stepsPerEpoch = parent.StepsPerEpoch;
        Engine.Run([parent], TextWriter.Null, options: options);

        var decayed = parent with { Epochs = 8, Schedule = Schedule.Constant.Then(4 * stepsPerEpoch, new Cosine()) };
        var log = new StringWriter();
        var branches = Engine.Run([decayed with { From = new Branch(parent, 4) }, parent with { From = new Branch(parent, 2) }], log, options: options);
        var fromScratch = Engine.Run([decayed], TextWriter.Null, options: options with { CheckpointEvery = null, CheckpointFolder = null });
        var parentAgain = Engine.Run([parent], TextWriter.Null).RunRecords[0];

        Assert.Contains("branched from its parent's checkpoint after epoch 4", log.ToString());
        Assert.Equal(fromScratch.RunRecords[0].Losses, branches.RunRecords[0].Losses);
        Assert.Equal(fromScratch.RunRecords[0].EpochColumn("val_loss"), branches.RunRecords[0].EpochColumn("val_loss"));
        Assert.Equal(parentAgain.Losses, branches.RunRecords[1].Losses);
        Assert.Equal(4, branches.Runs.GetColumn<int>("branch_epoch").GetAt(0));
    }

    [Fact]
    public void A_branch_without_its_parents_checkpoint_is_refused_before_any_compute()
    {
        var parent = Grid(network: true)[0];
        var branch = parent with { Epochs = 8, From = new Branch(parent, 4) };
        var e = Assert.Throws<InvalidExperimentException>(() =>
            Engine.Run([branch], options: new EngineOptions(CheckpointEvery: 2, CheckpointFolder: folder)));
        Assert.Contains("Experiment.From: no checkpoint of the parent after epoch 4", e.Message);

        var other = Assert.Throws<InvalidExperimentException>(() => Engine.Run([branch with { Seed = 9 }],
            options: new EngineOptions(CheckpointEvery: 2, CheckpointFolder: folder)));
        Assert.Contains("these differ: Seed", other.Message);
    }
}
