/// <summary>
/// A network run's numbers depend only on its description, its seed and its recorded numerical settings: an MLP with
/// dropout, a LeNet and a BERT run write the same bytes into steps.csv and epochs.csv alone, inside a mixed grid (where
/// they run side by side with quadratic runs), as one of three shards merged, and resumed from a checkpoint. The
/// intra-op thread count is such a setting: it changes the numbers, so it is recorded, and shards that differ in it
/// are refused.
/// </summary>
[Collection("esp-script")]
[Trait("Category", "Slow")]
public sealed class RunDeterminismTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    const string Script = """
        var mlp = new Experiment(new Network(new Mlp(784, [64, 32], 10, Dropout: 0.2), new FashionMnist(TrainExamples: 640, ValidationExamples: 200)),
                                 new Adam(1e-3), Sampler.Shuffle, Epochs: 3, BatchSize: 32);
        var lenet = new Experiment(new Network(new LeNet(), new FashionMnist(TrainExamples: 256, ValidationExamples: 128)),
                                   new Adam(1e-3), Sampler.Shuffle, Epochs: 3, BatchSize: 32, Seed: 1);
        var bert = new Experiment(new BertPretraining(new Bert(Vocab: 300, Hidden: 16, Ffn: 32, Heads: 2, Blocks: 1, MaxLength: 24, Dropout: 0.1),
                                                      new Fortunes(), TrainPairs: 64, ValidationPairs: 16, PlotEvery: 2),
                                  new Adam(1e-3), Sampler.Shuffle, Epochs: 3, BatchSize: 16, Seed: 2);
        var quadratic = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 3, BatchSize: 10);
        var grids = new Dictionary<string, Experiment[]> { ["mlp"] = [mlp], ["lenet"] = [lenet], ["bert"] = [bert],
                                                          ["all"] = [quadratic, mlp, lenet, quadratic with { Seed = 1 }, bert] };
        EngineOptions = EngineOptions with { CheckpointEvery = 1, IntraOpThreads = Args.Get("intra_op_threads", 1) };
        Run(grids[Args.Get("only", "all")]);
        """;

    // The networks' run numbers in the mixed grid and their files (BERT's validation columns are in steps.csv).
    static readonly (string Name, int Run, string[] Files)[] Networks =
        [("mlp", 1, ["steps.csv", "epochs.csv"]), ("lenet", 2, ["steps.csv", "epochs.csv"]), ("bert", 4, ["steps.csv"])];

    string Results(string name, IReadOnlyDictionary<string, string>? values = null, Shard? shard = null, bool resume = false, string? folder = null)
    {
        var script = Path.Combine(scratch.Folder, "det.csx");
        if (!File.Exists(script)) scratch.Write("det.csx", Script);
        folder ??= Path.Combine(scratch.Folder, name);
        var (code, _, err, _) = scratch.Run(script, folder, values: values, shard: shard, resume: resume);
        Assert.True(code == 0, err);
        if (resume) Assert.Contains("resumed from the checkpoint after epoch 1 ", err);
        return folder;
    }

    /// <summary>The rows of <paramref name="run"/> in a results CSV, each column the alone file has but "run", as written.</summary>
    static List<string> Rows(string file, int run, IReadOnlyList<string> columns)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',').ToList();
        return lines.Skip(1).Select(l => l.Split(',')).Where(cells => cells[0] == run.ToString())
            .Select(cells => string.Join(",", columns.Select(c => cells[header.IndexOf(c)]))).ToList();
    }

    [Fact]
    public void Networks_give_the_same_bytes_alone_in_a_mixed_grid_as_merged_shards_and_resumed()
    {
        var grid = Results("all");
        var sharded = Path.Combine(scratch.Folder, "sharded");
        for (int i = 0; i < 3; i++) Results("sharded", shard: new Shard(i, 3), folder: sharded);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.True(ScriptRunner.Execute(["merge", sharded, "--cache", scratch.Cache], stdout, stderr) == 0, stderr.ToString());
        var resumed = Results("resumed");
        foreach (var later in Directory.GetFiles(resumed + ".checkpoints").Where(f => !f.EndsWith("-epoch1.ckpt"))) File.Delete(later);
        Results("resumed", resume: true); // every run, fused and tensor, continues from its state after epoch 1

        foreach (var file in new[] { "steps.csv", "epochs.csv" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(grid, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, file))), $"merged {file} differs");
            Assert.True(File.ReadAllBytes(Path.Combine(grid, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(resumed, file))), $"resumed {file} differs");
        }
        foreach (var (name, run, files) in Networks)
        {
            var alone = Results(name, new Dictionary<string, string> { ["only"] = name });
            foreach (var file in files)
            {
                var columns = File.ReadLines(Path.Combine(alone, file)).First().Split(',').Skip(1).ToList();
                var rows = Rows(Path.Combine(alone, file), 0, columns);
                Assert.NotEmpty(rows);
                Assert.Equal(rows, Rows(Path.Combine(grid, file), run, columns));
            }
        }
    }

    [Fact]
    public void The_intra_op_thread_count_changes_a_networks_numbers_is_recorded_and_shards_that_differ_in_it_are_refused()
    {
        var one = Results("one", new Dictionary<string, string> { ["only"] = "mlp" });
        var two = Results("two", new Dictionary<string, string> { ["only"] = "mlp", ["intra_op_threads"] = "2" });
        Assert.NotEqual(File.ReadAllText(Path.Combine(one, "steps.csv")), File.ReadAllText(Path.Combine(two, "steps.csv")));
        Assert.Contains("\"intra_op_threads\": 2", File.ReadAllText(Path.Combine(two, "manifest.json")));

        var sharded = Path.Combine(scratch.Folder, "mixed");
        Results("mixed", shard: new Shard(0, 2), folder: sharded);
        Results("mixed", new Dictionary<string, string> { ["intra_op_threads"] = "2" }, shard: new Shard(1, 2), folder: sharded);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(ScriptRunner.Usage, ScriptRunner.Execute(["merge", sharded, "--cache", scratch.Cache], stdout, stderr));
        Assert.Contains("the shards come from different numerical settings (EngineOptions.IntraOpThreads of their CPU tensor runs): " +
            "0-of-2: intra-op threads 1; 1-of-2: intra-op threads 2", stderr.ToString());
        Assert.False(File.Exists(Path.Combine(sharded, "steps.csv")));
    }
}
