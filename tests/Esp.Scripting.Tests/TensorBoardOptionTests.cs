/// <summary>--tensorboard DIR reaches the engine: every run of every Run call gets its event folder, numbered as in runs.csv.</summary>
[Collection("esp-script")]
public sealed class TensorBoardOptionTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Each_run_of_the_script_writes_its_event_files_into_the_folder_given()
    {
        var script = scratch.Write("tb.csx", """
            var problem = new QuadraticProblem(N: 100, D: 100);
            Run(new Experiment(problem, new Adam(), Sampler.Shuffle, Epochs: 2, BatchSize: 10));
            Run(new Experiment(problem, new Sgd(Lr: 0.01), Sampler.Shuffle, Epochs: 2, BatchSize: 10),
                new Experiment(problem, new RmsProp(), Sampler.Shuffle, Epochs: 2, BatchSize: 10));
            """);
        var board = Path.Combine(scratch.Folder, "board");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = ScriptRunner.Execute([script, "--tensorboard", board, "--out", Path.Combine(scratch.Folder, "out"), "--cache", scratch.Cache], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(["run-0000", "run-0001", "run-0002"], Directory.GetDirectories(board).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetDirectories(board), run => Assert.StartsWith("events.out.tfevents.", Path.GetFileName(Assert.Single(Directory.GetFiles(run)))));
        Assert.Equal((null, "--tensorboard needs a folder, e.g. --tensorboard runs/tb"), CommandLine.Parse([script, "--tensorboard"]));
    }
}
