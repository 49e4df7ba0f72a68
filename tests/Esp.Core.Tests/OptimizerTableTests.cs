/// <summary>
/// What every optimizer of the table must do, whatever it is: be in the table, keep a run's numbers inside a batch,
/// give a resumed run the uninterrupted numbers, and have an outside reference that a test checks.
/// </summary>
public sealed class OptimizerTableTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("esp-optimizers-").FullName;
    public void Dispose() => Directory.Delete(folder, recursive: true);

    static Experiment Run(Optimizer o, int seed) =>
        new(new QuadraticProblem(N: 200, D: 150), o, Sampler.Shuffle, Epochs: 4, BatchSize: 20, Seed: seed, Probes: new Probes(GradNorm: true, StepNorm: true));

    [Fact]
    public void Every_optimizer_of_esp_is_in_the_table_with_a_reference_test_that_exists()
    {
        var types = typeof(Optimizer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Optimizer)) && !t.IsAbstract && t.IsPublic);
        Assert.Empty(types.Where(t => OptimizerTable.Rows.All(r => r.Optimizer.GetType() != t)).Select(t => t.Name));
        var tests = typeof(OptimizerTableTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        Assert.All(OptimizerTable.Rows, r => Assert.Contains(r.Reference.Split('(')[1].TrimEnd(')'), tests));
    }

    [Theory]
    [MemberData(nameof(OptimizerTable.Names), MemberType = typeof(OptimizerTable))]
    public void A_run_keeps_its_numbers_inside_a_batch(string name)
    {
        var o = OptimizerTable.Get(name);
        var grid = Enumerable.Range(0, 3).Select(seed => Run(o, seed)).ToList();
        foreach (var backend in o.HasFusedUpdate ? new[] { Backend.Fused, Backend.Tensors } : [Backend.Tensors])
        {
            var options = new EngineOptions(Backend: backend);
            var batched = Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
            foreach (var (x, k) in grid.Select((x, k) => (x, k)))
            {
                var alone = Engine.Run([x], TextWriter.Null, options: options with { RunsPerBatch = 1 }).RunRecords[0];
                Assert.Equal(RunStatus.Completed, alone.Status);
                Assert.Empty(BatchEquivalenceTests.Differences(batched[k], alone, backend == Backend.Fused ? 0 : 1e-12));
            }
        }
    }

    [Theory]
    [MemberData(nameof(OptimizerTable.Names), MemberType = typeof(OptimizerTable))]
    public void A_resumed_run_gives_the_uninterrupted_numbers_bit_for_bit(string name)
    {
        var x = Run(OptimizerTable.Get(name), seed: 7);
        var options = new EngineOptions(CheckpointEvery: 1, CheckpointFolder: folder);
        var whole = Engine.Run([x], TextWriter.Null, options: options).RunRecords[0];
        foreach (var file in Directory.GetFiles(folder).Where(f => !f.Contains("epoch2"))) File.Delete(file); // stopped after epoch 2

        var log = new StringWriter();
        var resumed = Engine.Run([x], log, options: options with { Resume = true }).RunRecords[0];
        Assert.Contains("resumed from the checkpoint after epoch 2 ", log.ToString());
        Assert.Equal(whole.StepColumnNames, resumed.StepColumnNames);
        for (int c = 0; c < whole.StepColumns.Count; c++) Assert.Equal(whole.StepColumns[c], resumed.StepColumns[c]);
    }
}
