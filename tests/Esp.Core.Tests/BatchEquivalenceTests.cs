using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

/// <summary>
/// A run's numbers do not depend on the company it keeps: inside a batch, every per-step column of every run
/// equals that run alone, for every sampler, optimizer kernel, schedule and probe set, on both backends.
/// Grids are generated: one optimizer kernel per grid (so the tensor backend really batches them) with
/// hyperparameters, sampler, seed and schedule drawn per run, float64.
/// </summary>
public class BatchEquivalenceTests
{
    const double Tolerance = 1e-12;

    public sealed record Grid(IReadOnlyList<Experiment> Runs)
    {
        public override string ToString() => string.Join("\n", Runs.Select(x =>
            $"{x.Optimizer} {x.Sampler.Name}{(x.Sampler.DropLast ? " drop_last" : "")} seed {x.Seed} {x.LrSchedule.Label} probes {x.Probes is not null}"));
    }

    static Gen<Optimizer> OptimizerOf(int kernel) =>
        from lr in Gen.Choose(1, 100).Select(i => i / 1000.0)
        from beta1 in Gen.Choose(0, 99).Select(i => i / 100.0)
        from beta2 in Gen.Choose(700, 999).Select(i => i / 1000.0)
        from eps in Gen.Elements(1e-8, 1e-6, 1e-3)
        from decay in Gen.Elements(0.0, 0.0, 1e-3, 0.05)
        from bias in Gen.Elements(true, false)
        select kernel switch
        {
            0 => (Optimizer)new Adam(lr * 10, beta1, beta2, eps, decay, bias),
            1 => new AdamW(lr * 10, beta1, beta2, eps, decay, bias),
            2 => new RmsProp(lr, beta2, eps, WeightDecay: decay),
            3 => new RmsProp(lr / 10, beta2, eps, Momentum: beta1, Centered: true, WeightDecay: decay),
            4 => new Sgd(lr * 10, WeightDecay: decay),
            5 => new Sgd(lr * 10, Momentum: beta1, Dampening: bias ? 0 : 0.5, WeightDecay: decay),
            _ => new Sgd(lr * 10, Momentum: Math.Max(beta1, 0.01), Nesterov: true, WeightDecay: decay),
        };

    static readonly Gen<Schedule> Schedules = Gen.Elements<Schedule>(
        Schedule.Constant, new Cosine(0.1), new Warmup(7, new StepDecay(20, 0.5)), new Wsd(0.1, 0.3));

    static Arbitrary<Grid> Grids() =>
        (from kernel in Gen.Choose(0, 6)
         from n in Gen.Choose(40, 240)
         from d in Gen.Choose(5, 120)
         from batch in Gen.Choose(3, n / 3) // at least 3 batches per epoch: the tracked batch (2) exists
         from probed in Gen.Elements(true, false)
         from count in Gen.Choose(2, 6)
         from runs in Gen.ListOf(
             from optimizer in OptimizerOf(kernel)
             from kind in Gen.Elements(SamplerKind.Shuffle, SamplerKind.Sequential, SamplerKind.Reverse, SamplerKind.WithReplacement)
             from dropLast in Gen.Elements(false, false, true)
             from seed in Gen.Choose(0, 10_000)
             from schedule in Schedules
             select new Experiment(new QuadraticProblem(N: n, D: d), optimizer, new Sampler(kind, dropLast), Epochs: 3,
                 BatchSize: batch, Seed: seed, Schedule: schedule,
                 Probes: probed ? Probes.All(trackedBatch: 2) with { Coordinates = new ValueList<int>([0, d - 1]), BatchLossesAtEpochStart = new ValueList<int>([1]) } : null),
             count)
         select new Grid(runs)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property Fused_batch_equals_each_run_alone() => Prop.ForAll(Grids(), g => SameAlone(g, Backend.Fused));

    [Property(MaxTest = 40)]
    public Property Tensor_batch_equals_each_run_alone() => Prop.ForAll(Grids(), g => SameAlone(g, Backend.Tensors));

    /// <summary>
    /// The fused CPU loops and the TorchSharp computation are two implementations of one algorithm: each of
    /// Esp's fused updates mirrors the tensor state's operations in the same order, so in float64 they agree to
    /// the same 1e-12 (the only differences are the summation order of losses and norms, about 1e-16).
    /// </summary>
    [Property(MaxTest = 40)]
    public Property Fused_and_tensor_backends_agree() => Prop.ForAll(Grids(), g =>
    {
        var fused = Engine.Run(g.Runs, TextWriter.Null, options: new EngineOptions(Backend: Backend.Fused)).RunRecords;
        var tensors = Engine.Run(g.Runs, TextWriter.Null, options: new EngineOptions(Backend: Backend.Tensors)).RunRecords;
        var differences = fused.Zip(tensors).SelectMany(pair => Differences(pair.First, pair.Second)).ToList();
        return (differences.Count == 0).Label($"fused vs tensors:\n{string.Join("\n", differences.Take(5))}");
    });

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    [InlineData("sgd")]
    public void In_float32_the_backends_agree_to_float32_rounding(string optimizer)
    {
        Optimizer o = optimizer switch
        {
            "adam" => new Adam(Beta2: 0.8),
            "adamw" => new AdamW(Beta2: 0.8, WeightDecay: 0.05),
            "rmsprop" => new RmsProp(Beta: 0.8, Momentum: 0.5, Centered: true),
            _ => new Sgd(Lr: 0.2, Momentum: 0.9, Nesterov: true),
        };
        var x = new Experiment(new QuadraticProblem(N: 400, D: 300, Precision: Precision.Float32), o, Sampler.Shuffle,
            Epochs: 5, BatchSize: 20, Seed: 4, Probes: Probes.All(trackedBatch: 3));
        var fused = Engine.Run([x], TextWriter.Null, options: new EngineOptions(Backend: Backend.Fused)).RunRecords[0];
        var tensors = Engine.Run([x], TextWriter.Null, options: new EngineOptions(Backend: Backend.Tensors)).RunRecords[0];

        // Same operations in float32; only sums (losses, norms) may round in another order: a few float32 ulps.
        Assert.Empty(Differences(fused, tensors, tolerance: 1e-5));
        Assert.NotEmpty(Differences(fused, tensors with { StepColumns = tensors.StepColumns.Select(c => c.Select(v => v * (1 + 1e-4)).ToArray()).ToList() }, tolerance: 1e-5));
    }

    static Property SameAlone(Grid g, Backend backend)
    {
        var batched = Engine.Run(g.Runs, TextWriter.Null, options: new EngineOptions(Backend: backend)).RunRecords;
        var alone = g.Runs.Select(x => Engine.Run([x], TextWriter.Null, options: new EngineOptions(RunsPerBatch: 1, Threads: 1, Backend: backend)).RunRecords[0]);
        var differences = batched.Zip(alone).SelectMany(pair => Differences(pair.First, pair.Second)).ToList();
        return (differences.Count == 0).Label($"{backend}:\n{string.Join("\n", differences.Take(5))}");
    }

    /// <summary>Every value of every column that differs by more than Tolerance relative to the column's scale.</summary>
    internal static IEnumerable<string> Differences(RunRecord a, RunRecord b, double tolerance = Tolerance)
    {
        if (a.StepsTaken != b.StepsTaken || a.Status != b.Status)
            yield return $"run {a.Run}: {a.StepsTaken} steps ({a.Status}) vs {b.StepsTaken} ({b.Status})";
        foreach (var name in a.StepColumnNames)
        {
            double[] x = a.Column(name), y = b.Column(name);
            double scale = y.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int t = 0; t < Math.Min(x.Length, y.Length); t++)
                if (!(Math.Abs(x[t] - y[t]) <= tolerance * Math.Max(Math.Abs(y[t]), scale) || double.IsNaN(x[t]) && double.IsNaN(y[t])))
                {
                    yield return $"run {a.Run} {name} step {t}: {x[t]:R} vs {y[t]:R}";
                    break;
                }
        }
        var (fa, fb) = (a.EpochEndFullLoss, b.EpochEndFullLoss);
        if (fa.Length != fb.Length || fa.Zip(fb).Any(p => Math.Abs(p.First - p.Second) > tolerance * Math.Abs(p.Second)))
            yield return $"run {a.Run} full losses [{string.Join(", ", fa)}] vs [{string.Join(", ", fb)}]";
        if (a.BatchLosses.Count != b.BatchLosses.Count ||
            a.BatchLosses.Zip(b.BatchLosses).Any(p => Math.Abs(p.First.Loss - p.Second.Loss) > tolerance * Math.Abs(p.Second.Loss)))
            yield return $"run {a.Run} batch losses differ";
    }
}
