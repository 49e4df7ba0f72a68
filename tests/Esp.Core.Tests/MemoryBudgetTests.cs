/// <summary>
/// The memory budget: a run's estimate includes a step's activations, a run over budget is refused before any compute
/// with the largest batch that fits, and the default budget reads the cgroup's limit. (The estimate's accuracy against
/// a measured peak is MemoryEstimateTests, in the scripting tests, which run each case in a process of its own.)
/// </summary>
public sealed class MemoryBudgetTests : IDisposable
{
    static Experiment Net(Model model, int batch, int validation = 10_000) =>
        new(new Network(model, new FashionMnist(ValidationExamples: validation)), new Adam(1e-3), Sampler.Shuffle, Epochs: 1, BatchSize: batch);

    [Theory]
    [InlineData("lenet", 1.5)]
    [InlineData("mlp 784-50000-10", 4)]
    public void A_full_batch_network_over_budget_is_refused_before_compute_with_the_largest_batch_that_fits(string which, double gib)
    {
        var x = Net(which == "lenet" ? new LeNet() : new Mlp(784, [50_000], 10), 60_000);
        var options = new EngineOptions(MemoryBudgetBytes: (long)(gib * (1L << 30)));
        var log = new StringWriter();
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([x], log, options: options));

        Assert.Empty(log.ToString()); // nothing ran
        var m = System.Text.RegularExpressions.Regex.Match(e.Message,
            $@"experiment 0 needs about ([\d.]+) GiB for one run \(N = 60000, D = \d+, batch 60000, float32\), over the memory budget of {gib:F1} GiB: use BatchSize <= (\d+), raise EngineOptions\.MemoryBudgetBytes, or shrink the problem");
        Assert.True(m.Success, e.Message);
        Assert.InRange(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1.5, 100);
        int largest = int.Parse(m.Groups[2].Value);
        Assert.InRange(Engine.MemoryPerRun(x with { BatchSize = largest }, options), 1, options.Budget);
        Assert.True(Engine.MemoryPerRun(x with { BatchSize = largest + 1 }, options) > options.Budget);
    }

    [Fact]
    public void A_step_s_activations_grow_with_the_batch_and_dropout_adds_its_masks()
    {
        var mlp = new Mlp(784, [256, 128], 10);
        long small = Engine.MemoryPerRun(Net(mlp, 100, validation: 0)), large = Engine.MemoryPerRun(Net(mlp, 10_100, validation: 0));
        // 10 000 more examples, each keeping its input, 2 x (256 + 128) hidden numbers, 2 x 10 for the logits and the
        // loss, and the backward's two widest gradients (2 x 256), in float32; less the recorded loss and lr_t of 594
        // fewer steps (8 bytes each, recorded and in the epoch's three buffers)
        Assert.Equal(10_000L * (784 + 2 * (256 + 128) + 2 * 10 + 2 * 256) * 4 - 594 * 2 * 8 * 4, large - small);
        long dropout = Engine.MemoryPerRun(Net(mlp with { Dropout = 0.2 }, 10_100, validation: 0));
        Assert.Equal(10_100L * 2 * (256 + 128) * 4, dropout - large);
    }

    [Fact]
    public void A_problem_no_batch_of_which_fits_is_refused_naming_the_problem()
    {
        // 39 750 010 parameters with their state and all of Fashion-MNIST take more than 1.5 GiB before any activation
        var x = Net(new Mlp(784, [50_000], 10), 60_000);
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([x], options: new EngineOptions(MemoryBudgetBytes: 3L << 29)));
        Assert.Contains("(N = 60000, D = 39750010, batch 60000, float32), over the memory budget of 1.5 GiB: " +
            "shrink the problem (no batch size fits), or raise EngineOptions.MemoryBudgetBytes", e.Message);
    }

    [Fact]
    public void The_cgroup_limit_is_the_lowest_on_the_process_s_cgroup_and_its_ancestors_in_v1_and_v2()
    {
        void Limit(string path, string text)
        {
            Directory.CreateDirectory(Path.Combine(folder, path));
            File.WriteAllText(Path.Combine(folder, path, path.Split('/')[0] == "memory" ? "memory.limit_in_bytes" : "memory.max"), text + "\n");
        }
        // v1: the job's own cgroup says "no limit" (about 2^63), its parent 6 GiB
        Limit("memory", "9223372036854771712");
        Limit("memory/slurm", "6442450944");
        Limit("memory/slurm/job_7", "9223372036854771712");
        Assert.Equal(6L << 30, AvailableMemory.CgroupLimit(folder, "4:memory:/slurm/job_7\n3:cpuset:/\n0::/\n"));
        // v2: the lowest on the path, "max" meaning none
        Limit("user.slice", "max");
        Limit("user.slice/session-1.scope", "2147483648");
        Assert.Equal(2L << 30, AvailableMemory.CgroupLimit(folder, "0::/user.slice/session-1.scope\n"));
        Assert.Null(AvailableMemory.CgroupLimit(folder, "0::/user.slice\n4:memory:/\n"));
        // a container that mounts its own cgroup as the root: the process's path is not under the mount, the root's limit holds
        Limit("memory", "3221225472");
        Assert.Equal(3L << 30, AvailableMemory.CgroupLimit(folder, "4:memory:/docker/abc\n"));
        // the default budget is a quarter of what this process may use, never more than the machine's memory
        Assert.Equal(AvailableMemory.Bytes() / 4, EngineOptions.Default.Budget);
        Assert.InRange(AvailableMemory.Bytes(), 1L << 28, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 4);
    }

    readonly string folder = Directory.CreateTempSubdirectory("esp-cgroup-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
