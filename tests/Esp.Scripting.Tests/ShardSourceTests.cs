/// <summary>Where a process's shard comes from: --shard i/n, a Slurm job array task, or a Kubernetes Indexed Job pod with --shards n.</summary>
public sealed class ShardSourceTests
{
    static (CommandLine? Line, string? Error) Parse(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CommandLine.Parse(["s.csx", .. args], name => environment.GetValueOrDefault(name));

    static readonly Dictionary<string, string> None = [];

    [Fact]
    public void The_option_then_Slurm_then_Kubernetes_give_the_shard_and_the_manifest_names_the_source()
    {
        Assert.Equal(new ShardSource(new Shard(1, 3), "--shard 1/3"), Parse(None, "--shard", "1/3").Line!.Shard);
        var slurm = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "4", ["JOB_COMPLETION_INDEX"] = "0" };
        Assert.Equal(new ShardSource(new Shard(2, 4), "SLURM_ARRAY_TASK_ID=2, SLURM_ARRAY_TASK_COUNT=4"), Parse(slurm).Line!.Shard);
        Assert.Equal(new Shard(0, 2), Parse(slurm, "--shard", "0/2").Line!.Shard!.Shard); // the option wins
        var offset = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "6", ["SLURM_ARRAY_TASK_MIN"] = "5", ["SLURM_ARRAY_TASK_COUNT"] = "3" }; // --array=5-7
        Assert.Equal(new ShardSource(new Shard(1, 3), "SLURM_ARRAY_TASK_ID=6, SLURM_ARRAY_TASK_MIN=5, SLURM_ARRAY_TASK_COUNT=3"), Parse(offset).Line!.Shard);
        var pod = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "5" };
        Assert.Equal(new ShardSource(new Shard(5, 8), "JOB_COMPLETION_INDEX=5, --shards 8"), Parse(pod, "--shards", "8").Line!.Shard);
        Assert.Null(Parse(None).Line!.Shard);
        var line = Parse(None, "--shard", "1/3", "--out", "sweep").Line!;
        Assert.Equal(Path.Combine("sweep", "shards", "1-of-3"), line.OutputFolder);
        Assert.Equal("sweep", line.ResultsRoot);
    }

    [Theory]
    [InlineData("--shard 3/3", "", "--shard 3/3: the shard index must be in [0, 3) (0-based), got 3: use 0 to 2")]
    [InlineData("--shard 1-3", "", "--shard needs i/n (the 0-based shard index and the shard count), got \"1-3\"")]
    [InlineData("--shard 0/0", "", "the shard count must be >= 1, got 0")]
    [InlineData("--shards 3", "", "--shards 3 needs the shard index: give --shard i/3 instead")]
    [InlineData("--shards x", "", "--shards needs the number of shards, a positive integer, got \"x\"")]
    [InlineData("--shard 0/2 --shards 2", "", "--shard 0/2 already gives the count; --shards 2 is for JOB_COMPLETION_INDEX")]
    [InlineData("", "JOB_COMPLETION_INDEX=1", "JOB_COMPLETION_INDEX=1 is set (a Kubernetes Indexed Job) but not the shard count: add --shards N")]
    [InlineData("--shards 2", "JOB_COMPLETION_INDEX=2", "JOB_COMPLETION_INDEX=2 with --shards 2; set --shards to the Job's completions: the shard index must be in [0, 2)")]
    [InlineData("", "SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_COUNT=3; submit the array as --array=0-2 (consecutive task ids, no step)")]
    [InlineData("", "SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_ID=1 and SLURM_ARRAY_TASK_COUNT= must both be non-negative integers")]
    [InlineData("--shards 4", "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3", "--shards 4 contradicts SLURM_ARRAY_TASK_COUNT=3")]
    public void A_bad_shard_is_refused_naming_the_value_and_the_fix(string args, string environment, string error)
    {
        var variables = environment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        var (line, message) = Parse(variables, args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(line);
        Assert.Contains(error, message);
    }
}
