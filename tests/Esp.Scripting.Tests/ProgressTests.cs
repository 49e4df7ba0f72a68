/// <summary>
/// The progress line: steps within long runs, a line every 2 s even while no step finishes, a count that ends at the
/// total after a resume or a divergence, and a time left from each kind of run's measured speed, within 2x of the truth
/// on a real mixed grid. They share the machine's cores with no other test (the estimate is of time).
/// </summary>
[Collection("esp-script")]
public sealed class ProgressTests
{
    static readonly Experiment Quadratic = new(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 1000, BatchSize: 10);

    /// <summary>A Progress on a clock the test moves.</summary>
    sealed class Clocked
    {
        public TimeSpan Now;
        public readonly StringWriter Output = new();
        public readonly Progress Progress;
        public Clocked() => Progress = new Progress(Output, live: false, () => Now);
        public string[] Lines => Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Progress_counts_steps_within_a_run_and_rows_while_writing()
    {
        var output = new StringWriter();
        using var progress = new Progress(output, live: true);
        progress.Start([Quadratic]);
        progress.Steps(new StepsDone(0, Quadratic, 10));
        Thread.Sleep(300); // the live line is redrawn at most 4 times a second
        progress.Steps(new StepsDone(0, Quadratic, 10));
        progress.Writing(10_000, 10_000);

        var text = output.ToString();
        Assert.Contains("runs 0/1  steps 20/10000", text);
        Assert.Contains("writing steps.csv: 10000/10000 rows", text);
        Assert.EndsWith(Environment.NewLine, text); // the live line is ended, not left broken
    }

    [Fact]
    public void A_line_comes_every_2_s_while_a_step_runs_and_the_count_ends_at_the_total_after_a_resume_or_a_divergence()
    {
        var c = new Clocked();
        c.Progress.Start([Quadratic, Quadratic with { Seed = 1 }]);
        c.Progress.Steps(new StepsDone(0, Quadratic, 4_000, Replayed: true)); // resumed after 4 000 steps
        c.Now = TimeSpan.FromSeconds(1.9);
        c.Progress.Tick();
        Assert.Empty(c.Lines);
        c.Now = TimeSpan.FromSeconds(2.1);
        c.Progress.Tick(); // no step finished meanwhile: a line all the same
        Assert.Equal("runs 0/2  steps 4000/20000  0 steps/s  elapsed 2.1 s  left ? ", c.Lines[0] + " ");

        c.Progress.Steps(new StepsDone(0, Quadratic, 6_000));
        c.Progress.RunDone(Engine.Run([Quadratic with { Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Description = Quadratic });
        var diverged = Engine.Run([Quadratic with { Seed = 1, Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Run = 1, Description = Quadratic with { Seed = 1 } };
        c.Progress.Steps(new StepsDone(1, Quadratic with { Seed = 1 }, 250));
        c.Now = TimeSpan.FromSeconds(3);
        c.Progress.RunDone(diverged); // stopped after 250 of its 10 000 steps
        Assert.StartsWith("runs 2/2  steps 20000/20000", c.Lines[^1]);
    }

    [Fact]
    public void Each_kind_of_run_is_timed_at_its_own_speed()
    {
        // 2 runs of a cheap kind (1 ms a step) done first, then a network kind (50 ms a step) the cost model cannot price
        var network = new Experiment(new Network(new Mlp(14, [8], 4), new SyntheticTabular(TrainExamples: 320)), new Adam(1e-3), Sampler.Shuffle,
            Epochs: 10, BatchSize: 32); // 100 steps
        var c = new Clocked();
        c.Progress.Start([Quadratic, network]);
        for (int k = 0; k < 100; k++) { c.Now += TimeSpan.FromMilliseconds(100); c.Progress.Steps(new StepsDone(0, Quadratic, 100)); }
        c.Progress.RunDone(Engine.Run([Quadratic with { Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Description = Quadratic });
        for (int k = 0; k < 10; k++) { c.Now += TimeSpan.FromMilliseconds(50); c.Progress.Steps(new StepsDone(1, network, 1)); }
        c.Now += TimeSpan.FromSeconds(2);
        c.Progress.Tick();
        var left = double.Parse(c.Lines[^1].Split("left ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(left, 90 * 0.05 * 0.99, 90 * 0.05 * 1.01); // 90 network steps at the network's 50 ms (measured over 9 of them)
    }

    [Fact]
    public void Runs_of_one_step_each_get_a_time_left_from_the_grids_own_rate()
    {
        // runs too short to report twice are never timed alone (surge.csx's one-step runs): the grid's rate so far counts
        var oneStep = new Experiment(new QuadraticProblem(N: 10, D: 10), new Adam(), Sampler.Shuffle, Epochs: 1, BatchSize: 10);
        var grid = Enumerable.Range(0, 100).Select(seed => oneStep with { Seed = seed }).ToList();
        var c = new Clocked();
        c.Progress.Start(grid, workers: 2);
        Assert.True(double.IsNaN(c.Progress.Estimate().Left));
        for (int k = 0; k < 50; k++)
        {
            c.Now += TimeSpan.FromMilliseconds(20);
            c.Progress.Steps(new StepsDone(k, grid[k], 1));
        }
        var (elapsed, left, done) = c.Progress.Estimate();
        Assert.Equal((1.0, 0.5), (elapsed, done));
        Assert.Equal(1.0, left, 9); // half the grid in 1 s: the other half in 1 s more
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void The_time_left_is_within_2x_of_the_truth_once_a_tenth_of_a_mixed_grid_is_done()
    {
        // fused quadratic runs and networks on the tensor path: two kinds whose speeds per cost unit differ a hundredfold
        var grid = new List<Experiment>();
        for (int seed = 0; seed < 4; seed++)
            grid.Add(new Experiment(new QuadraticProblem(N: 4000, D: 4000), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 2400, BatchSize: 40, Seed: seed));
        for (int seed = 0; seed < 2; seed++)
            grid.Add(new Experiment(new Network(new Mlp(14, [64, 32], 4), new SyntheticTabular(TrainExamples: 640)), new Adam(1e-3), Sampler.Shuffle,
                Epochs: 640, BatchSize: 32, Seed: seed));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var points = new List<(double Elapsed, double Left, double Done)>();
        var progress = new Progress(TextWriter.Null, live: false, () => clock.Elapsed);
        progress.Start(grid, EngineOptions.Default.CpuWorkers);
        double sampled = 0;
        // the estimate as the line would show it, sampled every 50 ms (the printed lines come every 2 s, too few to judge)
        Engine.Run(grid, TextWriter.Null, onRunDone: progress.RunDone, onSteps: s =>
        {
            progress.Steps(s);
            if (clock.Elapsed.TotalSeconds - sampled < 0.05) return;
            sampled = clock.Elapsed.TotalSeconds;
            if (progress.Estimate() is var estimate && !double.IsNaN(estimate.Left)) points.Add(estimate);
        });
        double total = clock.Elapsed.TotalSeconds;
        // from a tenth of the work (the cost model's) done, while a tenth of the time is still to go
        var judged = points.Where(p => p.Done >= 0.1 && total - p.Elapsed >= 0.1 * total).ToList();
        Assert.True(judged.Count >= 10, $"only {judged.Count} estimates in the judged span of a {total:F1} s grid");
        var wrong = judged.Where(p => !(p.Left >= 0.5 * (total - p.Elapsed) && p.Left <= 2 * (total - p.Elapsed))).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {judged.Count} estimates of a {total:F2} s grid are off by more than 2x: " +
            string.Join("; ", wrong.Take(5).Select(p => $"at {p.Elapsed:F2} s it said {p.Left:F2} s left, the truth {total - p.Elapsed:F2} s")));
    }
}
