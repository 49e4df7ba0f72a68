/// <summary>
/// Step probes as values (Probes.Extra): a probe declares its columns and computes them per step; CosineGradMomentum
/// is one record. Its values obey what the cosine must (1 on Adam's first step, +-1 in one dimension, within [-1, 1]),
/// a run keeps its numbers in a batch, and a run the probe cannot read, or a fused run, is refused before compute.
/// </summary>
public sealed class StepProbeTests
{
    static readonly Probes Cosine = new(GradNorm: true, Extra: [new CosineGradMomentum()]);

    static Experiment On(QuadraticProblem problem, Optimizer optimizer, int seed = 0) =>
        new(problem, optimizer, Sampler.Shuffle, Epochs: 3, BatchSize: 10, Seed: seed, Probes: Cosine);

    [Fact]
    public void The_cosine_of_g_and_m_is_1_on_adams_first_step_plus_or_minus_1_in_one_dimension_and_within_1_always()
    {
        var run = Engine.Run(On(new QuadraticProblem(N: 200, D: 100), new Adam(Beta2: 0.8))).RunRecords[0];
        Assert.Equal(["loss", "lr_t", "grad_norm", "cos_g_m"], run.StepColumnNames);
        var cosine = run.Column("cos_g_m");
        Assert.Equal(1.0, cosine[0], 12); // m_1 = (1 - beta1) g_1
        Assert.All(cosine, c => Assert.InRange(c, -1 - 1e-12, 1 + 1e-12));
        Assert.Contains(cosine, c => c < 0.99); // later batches pull against the momentum

        var line = Engine.Run(On(new QuadraticProblem(N: 50, D: 1), new Sgd(0.05, Momentum: 0.9))).RunRecords[0].Column("cos_g_m");
        Assert.All(line, c => Assert.Equal(1.0, Math.Abs(c), 12)); // in one dimension g and m are parallel or opposite
        Assert.Contains(line, c => c < 0);
    }

    [Fact]
    public void A_run_with_a_step_probe_keeps_its_numbers_in_a_batch_and_runs_on_the_tensor_path()
    {
        var grid = Enumerable.Range(0, 3).Select(seed => On(new QuadraticProblem(N: 200, D: 100), new Adam(Beta2: 0.8 + 0.05 * seed), seed)).ToList();
        Assert.All(grid, x => Assert.Equal(Backend.Tensors, EngineOptions.Default.BackendFor(x)));
        var batched = Engine.Run(grid).RunRecords;
        foreach (var (x, k) in grid.Select((x, k) => (x, k)))
            Assert.Equal(Engine.Run(x).RunRecords[0].Column("cos_g_m"), batched[k].Column("cos_g_m"), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void A_run_the_probe_cannot_read_or_a_fused_run_is_refused_before_compute()
    {
        var noMomentum = On(new QuadraticProblem(N: 200, D: 100), new Sgd(0.05));
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(noMomentum));
        Assert.Contains("Probes.Extra: CosineGradMomentum needs an optimizer with a first moment m, and sgd as set has none", e.Message);
        Assert.Empty(On(new QuadraticProblem(N: 200, D: 100), new Lion(1e-3)).Errors());

        var fused = On(new QuadraticProblem(N: 200, D: 100), new Adam());
        e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([fused], options: new EngineOptions(Backend: Backend.Fused)));
        Assert.Contains("EngineOptions.Backend = Fused does not run step probes (Probes.Extra): use Backend.Auto or Tensors", e.Message);
    }
}
