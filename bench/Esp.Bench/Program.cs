// Benchmarks, never part of the test run: `dotnet run -c Release --project bench/Esp.Bench [repetitions]`.
// In one process: the figure-19 grid (8 runs) and a 256-run grid (beta2 x eps x 8 seeds) at the paper's full
// size, each one run at a time and batched; the vectorized NumPy baseline (bench/numpy_baseline.py) on the same
// grids; and a single fused C# SIMD loop as the machine's limit. Every time is a median over repetitions and
// every ratio is taken between numbers measured here, in this run.
// `-- mlp [repetitions]` runs the network benchmark instead (MlpBench.cs), `-- bert [repetitions]` BERT's (BertBench.cs),
// `-- checkpoint [repetitions]` what checkpoints cost a fused run (CheckpointBench.cs), `-- paths` how long the fused
// and tensor paths agree on a chaotic run (PathAgreement.cs).
using System.Numerics;
using Esp;

if (args.FirstOrDefault() == "bert")
{
    BertBench.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
    return;
}
if (args.FirstOrDefault() == "checkpoint")
{
    CheckpointBench.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
    return;
}
if (args.FirstOrDefault() == "paths")
{
    PathAgreement.Run();
    return;
}
if (args.FirstOrDefault() == "mlp")
{
    MlpBench.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
    return;
}
int repetitions = args.Length > 0 ? int.Parse(args[0]) : 5;
int cores = Environment.ProcessorCount;
Console.WriteLine($"Esp.Bench: {cores} cores, Vector<double> = {Vector<double>.Count} lanes, .NET {Environment.Version}, " +
                  $"median of {repetitions} repetitions (NumPy on the 256-run grid: {Math.Min(repetitions, 3)})");

var whyNoNumPy = NumPyBaseline.WhyUnavailable();
if (whyNoNumPy != null) Console.WriteLine($"NumPy baseline skipped: {whyNoNumPy}");
else
{
    // The baseline must compute what Esp computes: same problem, same visiting order, same losses.
    var x = Grids.Fig19[1]; // shuffle, beta2 0.8
    var esp = Engine.Run(x).RunRecords[0].Losses;
    var numpy = NumPyBaseline.Replay(x);
    double worst = esp.Zip(numpy).Max(p => Math.Abs(p.First - p.Second) / Math.Abs(p.First));
    Console.WriteLine($"NumPy replay of run {x.Optimizer} {x.Sampler.Name}: {numpy.Length} losses, max relative difference from Esp {worst:E1}");
    if (numpy.Length != esp.Length || worst > 1e-9) throw new InvalidOperationException("the NumPy baseline does not compute Esp's losses");
}

var oneAtATime = new EngineOptions(RunsPerBatch: 1, Threads: 1);
var batched = EngineOptions.Default;
var tensors = new EngineOptions(Backend: Backend.Tensors);
// Warm-up (JIT, libtorch), so that medians are steady-state; the first run in a fresh process costs about
// 50 ms more (its JIT), which bench/fig19-script.sh's cold timings include.
Engine.Run(Grids.Fig19, TextWriter.Null, options: oneAtATime);
Engine.Run(Grids.Fig19, TextWriter.Null, options: tensors);

// The limit first, on a quiet heap: 8 runs per repetition, one core.
FusedLoopLimit.Run(0);
GC.Collect();
double limit = Timing.MedianSeconds(repetitions, () => { for (int seed = 1; seed <= 8; seed++) FusedLoopLimit.Run(seed); }) / 8;
Console.WriteLine($"fused-loop limit (one core): {limit:F4} s per run");

var rows = new List<(string Name, int Runs, double Seconds)>();
void Measure(string name, IReadOnlyList<Experiment> grid, EngineOptions options, int reps)
{
    double seconds = Timing.MedianSeconds(reps, () => Engine.Run(grid, TextWriter.Null, options: options));
    rows.Add((name, grid.Count, seconds));
    Console.WriteLine($"  {name,-42} {seconds,8:F3} s  {grid.Count / seconds,8:F1} runs/s");
}

Console.WriteLine("figure-19 grid (8 runs x 1 000 steps, N = D = 10 000, batch 100, float64):");
Measure("Esp fused, one run at a time, 1 core", Grids.Fig19, oneAtATime, repetitions);
Measure($"Esp fused, batched, {cores} cores", Grids.Fig19, batched, repetitions);
Measure("Esp tensors (TorchSharp), one run at a time", Grids.Fig19, tensors with { RunsPerBatch = 1 }, repetitions);
Measure("Esp tensors (TorchSharp), batched [8, D]", Grids.Fig19, tensors, repetitions);
double numpyFig19 = whyNoNumPy == null ? Timing.Median(NumPyBaseline.Time("fig19", repetitions)) : double.NaN;
rows.Add(("NumPy vectorized, one run at a time", 8, numpyFig19));
Console.WriteLine($"  {"NumPy vectorized, one run at a time",-42} {numpyFig19,8:F3} s  {8 / numpyFig19,8:F1} runs/s");

Console.WriteLine("256-run grid (beta2 x eps x 8 seeds, shuffled, same size):");
Measure("Esp fused, one run at a time, 1 core", Grids.Grid256, oneAtATime, repetitions);
Measure($"Esp fused, batched, {cores} cores", Grids.Grid256, batched, repetitions);
double numpy256 = whyNoNumPy == null ? Timing.Median(NumPyBaseline.Time("grid256", Math.Min(repetitions, 3))) : double.NaN;
Console.WriteLine($"  {"NumPy vectorized, one run at a time",-42} {numpy256,8:F3} s  {256 / numpy256,8:F1} runs/s");


double fig19Batched = rows.First(r => r.Name.StartsWith("Esp fused, batched") && r.Runs == 8).Seconds;
double grid256Batched = rows.Last(r => r.Name.StartsWith("Esp fused, batched")).Seconds;
double grid256Alone = rows.Last(r => r.Name.StartsWith("Esp fused, one run")).Seconds;
Console.WriteLine("ratios (this run):");
Console.WriteLine($"  figure-19 grid, Esp batched / NumPy time:           {fig19Batched / numpyFig19:F2}  (target <= 1.0)");
Console.WriteLine($"  256-run grid, Esp batched / NumPy runs per second:   {numpy256 / grid256Batched:F1}x  (target >= 3)");
Console.WriteLine($"  256-run grid, Esp one core per run / fused limit:   {grid256Alone / 256 / limit:F2}  (aim <= 2; core-seconds per run over the limit's)");
Console.WriteLine($"  256-run grid, Esp batched wall per run / limit:     {grid256Batched / 256 / limit:F2}  ({cores} cores)");
