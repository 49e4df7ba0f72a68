using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>
/// A real MLP (784-256-128-10) on Fashion-MNIST trained by Esp (flat parameter vector, Esp's own optimizer
/// updates) against the same network built from TorchSharp modules (nn.Linear, nn.ReLU) with the same initial
/// weights, trained by torch.optim on the same batches: every one of 200 steps' batch losses must agree, to 1e-5
/// relative in float32 and 1e-10 in float64.
/// Two cases are compared in float64 only, because in float32 the runs separate for reasons outside the update
/// rule (measured, worst relative loss difference over the 200 steps): SGD with momentum 0.9 at lr 0.05 agrees to
/// 1.2e-7 for 100 steps, then jumps to 1.4e-5 at step 110 and 5e-2 by step 179 (a one-ulp difference, from
/// theta + (-lr g) against torch's fused p + alpha buf, flips a ReLU and this aggressive run amplifies it), while
/// in float64 it agrees to 8e-16 over all 200 steps; AdamW drifts from the first steps (1.5e-5 by step 90, 1.6e-2 by
/// 193) because torch scales the parameter by (1 - lr wd) rounded to float32 (0.9999 -> 0.99989998) while Esp adds
/// -lr wd theta: the same rule, rounded differently (see OptimizerParityTests). RMSProp agreed to 1e-5 in float32 when
/// both sides computed on 2 libtorch threads, but on one thread (the engine's default, and the reference's here) it
/// separates by 2.2e-2 at step 181: the same kind of amplified one-ulp difference, so it too is compared in float64.
/// Both sides compute on the engine's intra-op thread count, since float32 sums split by thread.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NetworkParityTests(ITestOutputHelper output)
{
    const int Steps = 200, BatchSize = 64, Seed = 7;
    static readonly Mlp Model = new(784, [256, 128], 10);
    static readonly FashionMnist Data = new(TrainExamples: Steps * BatchSize, ValidationExamples: 100);

    static readonly Dictionary<string, (Optimizer Esp, Func<IEnumerable<Parameter>, optim.Optimizer> Torch, Sampler Sampler)> CaseTable = new()
    {
        ["adam"] = (new Adam(1e-3), ps => optim.Adam(ps, 1e-3), Sampler.Shuffle),
        ["adam beta2 0.8, sequential"] = (new Adam(1e-3, Beta2: 0.8), ps => optim.Adam(ps, 1e-3, beta2: 0.8), Sampler.Sequential),
        ["adamw weight decay 0.1"] = (new AdamW(1e-3, WeightDecay: 0.1), ps => optim.AdamW(ps, 1e-3, weight_decay: 0.1), Sampler.Shuffle),
        ["rmsprop"] = (new RmsProp(1e-3, Beta: 0.99), ps => optim.RMSProp(ps, 1e-3, alpha: 0.99, eps: 1e-8), Sampler.Shuffle),
        ["sgd momentum 0.9"] = (new Sgd(0.05, Momentum: 0.9), ps => optim.SGD(ps, 0.05, momentum: 0.9), Sampler.Reverse),
        ["sgd"] = (new Sgd(0.05), ps => optim.SGD(ps, 0.05), Sampler.WithReplacement),
    };

    [Theory]
    [InlineData("adam")]
    [InlineData("adam beta2 0.8, sequential")]
    [InlineData("sgd")]
    public void Esp_matches_torch_optim_on_a_real_mlp_over_200_steps_in_float32(string name) => Check(name, Precision.Float32, 1e-5);

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw weight decay 0.1")]
    [InlineData("rmsprop")]
    [InlineData("sgd momentum 0.9")]
    public void Esp_matches_torch_optim_on_a_real_mlp_over_200_steps_in_float64(string name) => Check(name, Precision.Float64, 1e-10);

    void Check(string name, Precision precision, double tolerance)
    {
        var (esp, torchOptimizer, sampler) = CaseTable[name];
        var x = new Experiment(new Network(Model, Data, precision), esp, sampler, Epochs: 1, BatchSize: BatchSize, Seed: Seed);
        var losses = Engine.Run(x).RunRecords[0].Losses;
        var reference = OnThreads(EngineOptions.Default.IntraOpThreads, () => TorchLosses(x, torchOptimizer)); // float32 sums split by thread

        Assert.Equal(Steps, losses.Length);
        var worst = losses.Zip(reference, (a, b) => Math.Abs(a - b) / Math.Abs(b)).Select((e, t) => (e, t)).MaxBy(p => p.e);
        output.WriteLine($"{name} ({precision}): loss {reference[0]:F4} -> {reference[^1]:F4}, worst relative difference {worst.e:E2} at step {worst.t}");
        Assert.True(worst.e <= tolerance, $"{name}: step {worst.t} loss {losses[worst.t]:R} vs torch {reference[worst.t]:R}, relative {worst.e:E2} > {tolerance:E0}");
        Assert.True(reference[^1] < 0.8 * reference[0], $"{name}: the reference did not train ({reference[0]} -> {reference[^1]})"); // not vacuous
    }

    static T OnThreads<T>(int threads, Func<T> work)
    {
        int before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try { return work(); }
        finally { torch.set_num_threads(before); }
    }

    /// <summary>The same run as TorchSharp modules and torch.optim: initial weights copied from Esp's layout, same batches.</summary>
    static double[] TorchLosses(Experiment x, Func<IEnumerable<Parameter>, optim.Optimizer> makeOptimizer)
    {
        using var scope = NewDisposeScope();
        var type = x.Problem.ElementPrecision == Precision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var layout = Model.Layout;
        var theta = layout.Initial(Rng.For(x.Seed, "init"));
        var net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).to(type);
        using (no_grad())
            foreach (var (parameterName, p) in net.named_parameters())
            {
                var segment = layout[$"layer{int.Parse(parameterName.Split('.')[0]) / 2}.{parameterName.Split('.')[1]}"];
                p.copy_(tensor(theta.AsSpan((int)segment.Offset, (int)segment.Size).ToArray(), segment.Shape.ToArray(), dtype: type));
            }
        var optimizer = makeOptimizer(net.parameters());
        var data = Data.Load(x.Seed);
        var images = tensor(data.TrainX, [data.TrainCount, 784]).to_type(type);
        var labels = tensor(data.TrainY);
        var order = new SampleOrder(x.Sampler, x.Problem.Examples, x.BatchSize, Rng.For(x.Seed, "sampler"));
        var losses = new List<double>();
        foreach (var batch in order.NextEpoch(0))
        {
            using var step = NewDisposeScope();
            var index = tensor(batch.Select(i => (long)i).ToArray());
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(images.index_select(0, index)), labels.index_select(0, index));
            loss.backward();
            optimizer.step();
            losses.Add(loss.to_type(ScalarType.Float64).item<double>());
        }
        return losses.ToArray();
    }
}
