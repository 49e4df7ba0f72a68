/// <summary>The progress line shows steps within long runs and the rows written to steps.csv.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void Progress_counts_steps_within_a_run_and_rows_while_writing()
    {
        var output = new StringWriter();
        var progress = new Progress(output, live: true);
        var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 1000, BatchSize: 10);
        progress.Start([x]);
        progress.EpochDone(10);
        Thread.Sleep(300); // the live line is redrawn at most 4 times a second
        progress.EpochDone(10);
        progress.Writing(10_000, 10_000);

        var text = output.ToString();
        Assert.Contains("runs 0/1  steps 20/10000", text);
        Assert.Contains("writing steps.csv: 10000/10000 rows", text);
        Assert.EndsWith(Environment.NewLine, text); // the live line is ended, not left broken
    }
}
