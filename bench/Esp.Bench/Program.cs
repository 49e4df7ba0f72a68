// Benchmarks, never part of the test run: `dotnet run -c Release --project bench/Esp.Bench [repetitions]`.
// Times the paper's figure-19 grid at full size (4 samplers x beta2 in {0.999, 0.8}: 8 runs of 1 000 steps,
// N = D = 10 000, batch 100, float64) through Engine.Run, and prints the median over repetitions.
using System.Diagnostics;
using Esp;

int repetitions = args.Length > 0 ? int.Parse(args[0]) : 5;
var grid = (from sampler in new[] { Sampler.Shuffle, Sampler.Sequential, Sampler.Reverse, Sampler.WithReplacement }
            from beta2 in new[] { 0.999, 0.8 }
            select new Experiment(new QuadraticProblem(), new Adam(Beta2: beta2), sampler)).ToList();
int steps = grid.Sum(x => x.TotalSteps);

Engine.Run(grid.Take(1)); // warm-up: JIT, libtorch initialisation
var seconds = new List<double>();
for (int r = 0; r < repetitions; r++)
{
    var clock = Stopwatch.StartNew();
    var results = Engine.Run(grid);
    seconds.Add(clock.Elapsed.TotalSeconds);
    Console.WriteLine($"repetition {r + 1}: {seconds[^1]:F3} s ({results.RunRecords.Count} runs)");
}
seconds.Sort();
double median = seconds[seconds.Count / 2];
Console.WriteLine($"fig19 grid (8 runs x 1 000 steps, N = D = 10 000, float64, {Environment.ProcessorCount} cores): " +
                  $"median {median:F3} s over {repetitions} repetitions, {steps / median:F0} steps/s, {median / grid.Count:F3} s per run");
