using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using Esp;

/// <summary>
/// `dotnet run -c Release --project bench/Esp.Bench -- mlp [repetitions]`: the Fashion-MNIST MLP (784-256-128-10,
/// batch 128, Adam, float32, 2 intra-op threads) trained through Esp and through a bare TorchSharp loop of the
/// same network (nn.Sequential of nn.Linear, torch.optim.Adam) on the same data in the same process, alternating,
/// medians over repetitions; then an 8-run grid of small MLPs (14-100-40-4, batch 32) side by side on every core
/// against one run at a time. The last line is the MLP ratio.
/// </summary>
static class MlpBench
{
    const int Steps = 300, BatchSize = 128;

    public static void Run(int repetitions)
    {
        torch.set_num_threads(2);
        Console.WriteLine($"mlp bench: {Environment.ProcessorCount} cores, torch intra-op threads {torch.get_num_threads()}, median of {repetitions}");
        var data = new FashionMnist(TrainExamples: Steps * BatchSize, ValidationExamples: 0);
        var x = new Experiment(new Network(new Mlp(784, [256, 128], 10), data), new Adam(1e-3), Sampler.Shuffle,
            Epochs: 1, BatchSize: BatchSize);
        var alone = new EngineOptions(IntraOpThreads: 2); // one run on the bare loop's 2 threads
        Engine.Run([x], TextWriter.Null, options: alone); // warm-up: JIT, libtorch, the data file read once
        Bare(x);

        var esp = new List<double>();
        var bare = new List<double>();
        var slope = new List<double>();
        for (int k = 0; k < repetitions; k++)
        {
            var clock = Stopwatch.StartNew();
            Engine.Run([x], TextWriter.Null, options: alone);
            esp.Add(clock.Elapsed.TotalMilliseconds / Steps);
            bare.Add(Bare(x));
            clock.Restart();
            Engine.Run([x with { Epochs = 2 }], TextWriter.Null, options: alone);
            slope.Add(clock.Elapsed.TotalMilliseconds / Steps - esp[^1]); // the second epoch alone: no set-up
        }
        Console.WriteLine($"esp per step without the run's set-up (second epoch): {Timing.Median(slope):F3} ms/step");

        var grid = Enumerable.Range(0, 8).Select(seed => new Experiment(new Network(new Mlp(14, [100, 40], 4), new SyntheticTabular()),
            new Adam(1e-3), Sampler.Shuffle, Epochs: 20, BatchSize: 32, Seed: seed)).ToList();
        Engine.Run(grid, TextWriter.Null);
        double oneAtATime = Timing.MedianSeconds(repetitions, () => Engine.Run(grid, TextWriter.Null, options: new EngineOptions(IntraOpThreads: 2)));
        double sideBySide = Timing.MedianSeconds(repetitions, () => Engine.Run(grid, TextWriter.Null));
        Console.WriteLine($"8-run MLP 14-100-40-4 grid (20 epochs of 32 steps): one at a time {8 / oneAtATime:F2} runs/s, " +
                          $"side by side on {Environment.ProcessorCount} cores {8 / sideBySide:F2} runs/s, ratio {oneAtATime / sideBySide:F2} (target >= 1.6)");
        var big = Enumerable.Range(0, 4).Select(seed => x with { Seed = seed }).ToList();
        double bigAlone = Timing.MedianSeconds(repetitions, () => Engine.Run(big, TextWriter.Null, options: alone));
        double bigSide = Timing.MedianSeconds(repetitions, () => Engine.Run(big, TextWriter.Null));
        Console.WriteLine($"4-run MLP 784-256-128-10 grid ({Steps} steps each): one at a time {4 / bigAlone:F2} runs/s, side by side {4 / bigSide:F2} runs/s, ratio {bigAlone / bigSide:F2}");
        double a = Timing.Median(esp), b = Timing.Median(bare);
        Console.WriteLine($"mlp: esp {a:F3} ms/step, bare TorchSharp {b:F3} ms/step, ratio {a / b:F2}");
    }

    /// <summary>One epoch of the same network, optimizer, batches and data as a hand-written TorchSharp loop; ms per step.</summary>
    static double Bare(Experiment x)
    {
        using var scope = NewDisposeScope();
        var loaded = ((Network)x.Problem).Data.Load(x.Seed); // the same arrays Esp trains on
        var (images, labels) = (tensor(loaded.TrainX, [loaded.TrainCount, 784]), tensor(loaded.TrainY));
        var net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10));
        var optimizer = optim.Adam(net.parameters(), 1e-3);
        var batches = new SampleOrder(x.Sampler, x.Problem.Examples, x.BatchSize, Rng.For(x.Seed, "sampler")).NextEpoch(0);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var step = NewDisposeScope();
            var index = tensor(batch.Select(i => (long)i).ToArray());
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(images.index_select(0, index)), labels.index_select(0, index));
            loss.backward();
            optimizer.step();
        }
        return clock.Elapsed.TotalMilliseconds / batches.Length;
    }
}
