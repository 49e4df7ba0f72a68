using System.Diagnostics;
using Xunit.Abstractions;

namespace Esp.Core.Tests;

/// <summary>steps.csv is written row by row from the runs' arrays: the same text as the Steps frame, without its memory.</summary>
public sealed class StepsCsvTests(ITestOutputHelper output)
{
    [Fact]
    public void The_streamed_steps_csv_is_the_steps_frame_written_as_csv_for_a_grid_mixing_optimizers_and_probes()
    {
        var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 4, BatchSize: 10,
            Probes: new Probes(GradNorm: true, Coordinates: [3]));
        var results = Engine.Run(x, x with { Optimizer = new Sgd(0.05, Momentum: 0.9), Probes = null, Sampler = Sampler.Reverse with { DropLast = true } },
            x with { Optimizer = new Adam(Lr: 1e6) }); // the last one diverges: fewer rows
        var frame = new StringWriter();
        Csv.Write(results.Steps, frame);
        var streamed = new StringWriter();
        StepsCsv.Write(results.RunRecords, streamed);

        Assert.Equal(frame.ToString(), streamed.ToString());
        Assert.Contains("momentum", streamed.ToString().Split('\n')[0]);
    }
}

/// <summary>A long run's results: memory per recorded step stays small through the engine and the CSV writing.</summary>
[Collection(RunsAlone.Name)]
public sealed class LongRunMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void A_million_step_run_and_its_steps_csv_hold_under_64_bytes_a_step()
    {
        // 10 000 epochs of 100 one-function steps: the engine keeps loss and lr_t (16 bytes a step); writing steps.csv
        // streams rows instead of building a frame (which held about 1.5 KB a step).
        var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 10_000, BatchSize: 1);
        var folder = Directory.CreateTempSubdirectory("esp-long-").FullName;
        try
        {
            long before = PaperScaleTests.ResidentBytes();
            var clock = Stopwatch.StartNew();
            var results = Engine.Run(x);
            double compute = clock.Elapsed.TotalSeconds;
            long peak = 0;
            results.Save(folder, _ => peak = Math.Max(peak, PaperScaleTests.ResidentBytes(collect: false)));
            double total = clock.Elapsed.TotalSeconds;
            long after = Math.Max(peak, PaperScaleTests.ResidentBytes());
            double perStep = (after - before) / 1e6;

            output.WriteLine($"1 000 000 steps: compute {compute:F1} s, with steps.csv {total:F1} s " +
                             $"({new FileInfo(Path.Combine(folder, "steps.csv")).Length / 1e6:F0} MB); resident memory grew {(after - before) / 1e6:F1} MB");
            Assert.Equal(1_000_000, results.RunRecords[0].StepsTaken);
            Assert.True(after - before < 64L * 1_000_000, $"resident memory grew {(after - before) / 1e6:F1} MB over 1 000 000 steps");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
