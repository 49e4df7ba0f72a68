/// <summary>
/// The progress line: steps within long runs, a line every 2 s even while no step finishes, a count that ends at the
/// total after a resume or a divergence, and a time left from each kind of run's measured speed.
/// </summary>
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
        c.Progress.RunDone(Engine.Run([Quadratic with { Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Experiment = Quadratic });
        var diverged = Engine.Run([Quadratic with { Seed = 1, Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Run = 1, Experiment = Quadratic with { Seed = 1 } };
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
        c.Progress.RunDone(Engine.Run([Quadratic with { Epochs = 1 }], TextWriter.Null).RunRecords[0] with { Experiment = Quadratic });
        for (int k = 0; k < 10; k++) { c.Now += TimeSpan.FromMilliseconds(50); c.Progress.Steps(new StepsDone(1, network, 1)); }
        c.Now += TimeSpan.FromSeconds(2);
        c.Progress.Tick();
        var left = double.Parse(c.Lines[^1].Split("left ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(left, 90 * 0.05 * 0.99, 90 * 0.05 * 1.01); // 90 network steps at the network's 50 ms (measured over 9 of them)
    }
}
