using Esp;

/// <summary>
/// `dotnet run -c Release --project bench/Esp.Bench -- paths`: how long the fused and tensor paths agree on the paper's
/// problem at beta2 0.8, where two trajectories that differ by a rounding separate exponentially. For 4 seeds of 40
/// epochs (4 000 steps) it prints the first step whose losses differ by more than 1e-10 relative, and the largest
/// relative difference in each block of 500 steps.
/// </summary>
static class PathAgreement
{
    public static void Run()
    {
        var grid = Enumerable.Range(0, 4).Select(seed => new Experiment(Grids.Paper, new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 40, Seed: seed)).ToList();
        var fused = Engine.Run(grid, TextWriter.Null).RunRecords;
        var tensors = Engine.Run(grid, TextWriter.Null, options: new EngineOptions(Backend: Backend.Tensors)).RunRecords;
        Console.WriteLine("paths: fused vs tensors (float64, CPU), paper's problem, Adam beta2 0.8, shuffled, batch 100, 4 000 steps");
        foreach (var (a, b) in fused.Zip(tensors))
        {
            var relative = a.Losses.Zip(b.Losses, (x, y) => Math.Abs(x - y) / Math.Abs(x)).ToArray();
            int first = Array.FindIndex(relative, d => d > 1e-10);
            var blocks = relative.Chunk(500).Select(c => c.Max().ToString("E1"));
            Console.WriteLine($"  seed {a.Experiment.Seed}: first step over 1e-10: {(first < 0 ? "none" : first.ToString())}; " +
                              $"max per 500 steps: {string.Join(" ", blocks)}");
        }
    }
}
