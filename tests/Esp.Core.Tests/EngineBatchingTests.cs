/// <summary>How the engine splits a grid into batches, bounds their memory, and keeps each run's story its own.</summary>
public class EngineBatchingTests
{
    static readonly QuadraticProblem Small = new(N: 200, D: 150);

    static Experiment Run(Optimizer optimizer, int seed = 0) =>
        new(Small, optimizer, Sampler.Shuffle, Epochs: 4, BatchSize: 20, Seed: seed);

    [Theory]
    [InlineData(Backend.Fused)]
    [InlineData(Backend.Tensors)]
    public void A_run_diverging_inside_a_batch_stops_alone_with_the_message_it_has_alone(Backend backend)
    {
        var fine = Run(new Sgd(Lr: 0.05)) with { Epochs = 40 };
        var grid = new[] { fine, fine with { Optimizer = new Sgd(Lr: 1e3) }, fine with { Seed = 5 } };
        var log = new StringWriter();
        var batched = Engine.Run(grid, log, firstRun: 10, options: new EngineOptions(Backend: backend));
        var alone = Engine.Run([grid[1]], TextWriter.Null, firstRun: 11, options: new EngineOptions(Backend: Backend.Fused));

        var diverged = Assert.Single(batched.Diverged);
        Assert.Equal(11, diverged.Run);
        Assert.Equal(alone.RunRecords[0].StepsTaken, diverged.StepsTaken);
        Assert.Equal(alone.RunRecords[0].Message, diverged.Message);
        Assert.Equal(diverged.Message + Environment.NewLine, log.ToString());
        Assert.Equal([40 * fine.StepsPerEpoch, 40 * fine.StepsPerEpoch],
            batched.RunRecords.Where(r => r.Status == RunStatus.Completed).Select(r => r.StepsTaken));
    }

    [Fact]
    public void Runs_that_cannot_share_a_tensor_batch_run_apart_and_results_keep_the_grid_order()
    {
        var grid = new[]
        {
            Run(new Adam(Beta2: 0.8)), Run(new Adam(Beta2: 0.9), seed: 1),
            Run(new RmsProp()), Run(new RmsProp(Centered: true)),          // different kernels
            Run(new Adam(WeightDecay: 0.01), seed: 4),                     // weight decay on: another kernel
            Run(new Adam()) with { Problem = new QuadraticProblem(N: 200, D: 90) }, // different D
            Run(new Adam(), seed: 2) with { BatchSize = 25 },              // different batch size
            Run(new Adam(Eps: 1e-3), seed: 3),
        };
        var options = new EngineOptions(Backend: Backend.Tensors);

        var batches = BatchPlan.Make(grid, options);
        Assert.Equal([[0, 1, 7], [2], [3], [4], [5], [6]], batches.Select(b => b.Indices.ToArray()));
        Assert.All(batches, b => Assert.Equal(Backend.Tensors, b.Backend));

        var results = Engine.Run(grid, options: options);
        Assert.Equal(Enumerable.Range(0, grid.Length), results.RunRecords.Select(r => r.Run));
        Assert.Equal(grid, results.RunRecords.Select(r => r.Experiment));
    }

    [Fact]
    public void Without_a_cap_batches_are_as_large_as_the_memory_budget_allows()
    {
        var grid = Enumerable.Range(0, 8).Select(seed => Run(new Adam(), seed)).ToArray();
        long perRun = BatchPlan.MemoryPerRun(grid[0], Backend.Tensors);
        var options = new EngineOptions(MemoryBudgetBytes: perRun * 7 / 2, Backend: Backend.Tensors);

        Assert.Equal([3, 3, 2], BatchPlan.Make(grid, options).Select(b => b.Indices.Count));
        // A fused batch holds one run per worker in flight: the budget caps the workers instead.
        var fusedOptions = new EngineOptions(MemoryBudgetBytes: BatchPlan.MemoryPerRun(grid[0], Backend.Fused) * 7 / 2, Threads: 8);
        var fused = Assert.Single(BatchPlan.Make(grid, fusedOptions));
        Assert.Equal((Backend.Fused, 8), (fused.Backend, fused.Indices.Count));
        Assert.Equal(3, BatchPlan.CpuWorkers(grid.Select(x => (true, (IReadOnlyList<Experiment>)[x])).ToList(), fusedOptions));
    }

    [Fact]
    public void A_batch_that_cannot_fit_is_refused_before_any_compute_with_the_largest_that_fits()
    {
        var grid = Enumerable.Range(0, 8).Select(seed => Run(new Adam(), seed)).ToArray();
        long perRun = BatchPlan.MemoryPerRun(grid[0], Backend.Tensors);
        var tooMany = new EngineOptions(RunsPerBatch: 8, MemoryBudgetBytes: perRun * 5, Backend: Backend.Tensors);

        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(grid, options: tooMany));
        Assert.Matches(@"EngineOptions\.RunsPerBatch = 8 needs about [\d.]+ MiB \([\d.]+ MiB per run like experiment 0\), over the memory budget of [\d.]+ MiB: use RunsPerBatch <= 5", e.Message);

        var huge = Run(new Adam()) with { Problem = new QuadraticProblem(N: 100_000_000, D: 100_000_000) };
        e = Assert.Throws<InvalidExperimentException>(() =>
            Engine.Run([grid[0], huge], options: new EngineOptions(MemoryBudgetBytes: 1L << 30)));
        Assert.Contains("experiment 1 needs about", e.Message);
        Assert.Contains("for one run (N = 100000000, D = 100000000, batch 20, float64), over the memory budget of 1.0 GiB", e.Message);
    }

    [Fact]
    public void Invalid_options_name_the_field_the_value_and_the_fix()
    {
        var x = Run(new Adam());
        string Error(EngineOptions o, Experiment? e = null) =>
            Assert.Throws<InvalidExperimentException>(() => Engine.Run([e ?? x], options: o)).Message;

        Assert.Contains("EngineOptions.RunsPerBatch must be >= 1, got 0", Error(new(RunsPerBatch: 0)));
        Assert.Contains("EngineOptions.Threads must be >= 1, got -2", Error(new(Threads: -2)));
        Assert.Contains("EngineOptions.MemoryBudgetBytes must be > 0, got 0", Error(new(MemoryBudgetBytes: 0)));
        Assert.Contains("EngineOptions.Backend must be Auto, Fused or Tensors, got 7", Error(new(Backend: (Backend)7)));
        Assert.Contains("Experiment.Epochs x steps per epoch must be at most 2147483647 steps, got 30000000 x 100",
            Error(EngineOptions.Default, x with { Epochs = 30_000_000, BatchSize = 2 }));
        // Without CUDA, Experiment.Device "cuda" is refused first; the plan's own rule is checked directly.
        Assert.Contains("experiment 0: EngineOptions.Backend = Fused runs on the CPU only, but Experiment.Device is \"cuda\"",
            Assert.Throws<InvalidExperimentException>(() => BatchPlan.Make([x with { Device = "cuda" }], new(Backend: Backend.Fused))).Message);
    }

    [Fact]
    public void Each_run_is_reported_once_as_it_finishes_even_when_cores_share_the_batch()
    {
        var grid = Enumerable.Range(0, 12).Select(seed => Run(new Adam(), seed)).ToArray();
        var done = new List<int>();
        Engine.Run(grid, onRunDone: r => done.Add(r.Run), firstRun: 3, options: new EngineOptions(Threads: 2));
        Assert.Equal(Enumerable.Range(3, 12), done.Order());
    }
}
