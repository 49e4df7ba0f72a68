using Esp;

/// <summary>
/// `dotnet run -c Release --project bench/Esp.Bench -- checkpoint [repetitions]`: what checkpoints cost a fused run.
/// Four runs of the paper's problem (N = D = 10 000, Adam beta2 0.8, batch 100, 40 epochs), without checkpoints and
/// with a checkpoint every epoch and every 5 epochs, alternating, medians over repetitions; each checkpointed
/// repetition starts from an empty folder. The last line is the ratio at every epoch (target <= 1.2).
/// </summary>
static class CheckpointBench
{
    public static void Run(int repetitions)
    {
        var grid = Enumerable.Range(0, 4).Select(seed => new Experiment(Grids.Paper, new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 40, Seed: seed)).ToList();
        var folder = Directory.CreateTempSubdirectory("esp-checkpoint-bench-").FullName;
        try
        {
            double Time(int? every)
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // not timed
                var options = new EngineOptions(CheckpointEvery: every, CheckpointFolder: every is null ? null : folder);
                return Timing.MedianSeconds(1, () => Engine.Run(grid, TextWriter.Null, options: options));
            }
            Time(null); Time(1); // warm-up: JIT
            var (none, every1, every5) = (new List<double>(), new List<double>(), new List<double>());
            for (int k = 0; k < repetitions; k++)
            {
                none.Add(Time(null));
                every1.Add(Time(1));
                every5.Add(Time(5));
            }
            var (files, size) = (Directory.GetFiles(folder).Length, new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length));
            var x = grid[0];
            var (theta, m, v, log) = (new double[10_000], new double[10_000], new double[10_000], new RunLog(x));
            var one = new FusedCheckpoint(folder, x);
            int epoch = 100; // a new file each time, as in a run (replacing a file costs ext4 a write-back)
            double save = Timing.MedianSeconds(50, () => one.Save(new FusedCheckpoint.State(epoch++, 2_000), theta, [m, v], log));
            Console.WriteLine($"checkpoint bench: {Environment.ProcessorCount} cores, 4 runs x 4 000 steps, median of {repetitions}; " +
                              $"every 5 epochs leaves {files} files, {size / 1e6:F1} MB; one save (2 000 steps logged) {save * 1e3:F2} ms");
            Console.WriteLine($"  no checkpoints {Timing.Median(none):F3} s, every 5 epochs {Timing.Median(every5):F3} s (ratio {Timing.Median(every5) / Timing.Median(none):F2})");
            Console.WriteLine($"checkpoint: every epoch {Timing.Median(every1):F3} s, none {Timing.Median(none):F3} s, ratio {Timing.Median(every1) / Timing.Median(none):F2} (target <= 1.2)");
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }
}
