using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

/// <summary>Properties of descriptions: runs are reproducible, and invalid ones never reach the engine.</summary>
public class DescriptionPropertyTests
{
    static readonly Optimizer[] Optimizers =
        [new Adam(Beta2: 0.8), new AdamW(), new Sgd(Lr: 0.1, Momentum: 0.9), new RmsProp(Beta: 0.9)];

    static Arbitrary<Experiment> SmallExperiments() =>
        (from n in Gen.Choose(50, 300)
         from batch in Gen.Choose(1, 25)
         from seed in Gen.Choose(0, 1_000_000)
         from sampler in Gen.Elements(Enum.GetValues<SamplerKind>())
         from optimizer in Gen.Elements(Optimizers)
         from dropLast in Gen.Elements(false, true)
         select new Experiment(new QuadraticProblem(N: n, D: n / 2 + 1), optimizer, new Sampler(sampler, dropLast),
             Epochs: 3, BatchSize: batch, Seed: seed, Probes: Probes.All(trackedBatch: 1))).ToArbitrary();

    [Property(MaxTest = 15)]
    public Property Same_description_and_seed_give_identical_results() => Prop.ForAll(SmallExperiments(), x =>
    {
        var first = Engine.Run(x).RunRecords[0];
        var second = Engine.Run(x with { }).RunRecords[0];
        bool same = first.StepColumnNames.SequenceEqual(second.StepColumnNames)
            && first.StepColumns.Zip(second.StepColumns).All(p => p.First.SequenceEqual(p.Second));
        return same.Label(x.ToString());
    });

    /// <summary>One invalid field, its bad value as the message must show it, and the description.</summary>
    public sealed record Invalid(string Field, string Shown, Experiment Experiment);

    static readonly Experiment Valid = new(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 2, BatchSize: 10);

    static Arbitrary<Invalid> InvalidExperiments()
    {
        var negativeLr = Gen.Choose(1, 1000).Select(k => new Invalid("Adam.Lr", Require.Show(-k / 100.0),
            Valid with { Optimizer = new Adam(Lr: -k / 100.0) }));
        var beta2 = Gen.Elements(-0.5, 1.0, 1.2, 7.0).Select(b => new Invalid("Adam.Beta2", Require.Show(b),
            Valid with { Optimizer = new Adam(Beta2: b) }));
        var beta1 = Gen.Elements(-0.1, 1.0, 2.5).Select(b => new Invalid("Sgd.Momentum", Require.Show(b),
            Valid with { Optimizer = new Sgd(Momentum: b) }));
        var batch = Gen.Choose(101, 10_000).Select(b => new Invalid("Experiment.BatchSize", b.ToString(),
            Valid with { BatchSize = b }));
        var epochs = Gen.Choose(-5, 0).Select(e => new Invalid("Experiment.Epochs", e.ToString(),
            Valid with { Epochs = e }));
        var eps = Gen.Elements(0.0, -1e-8).Select(e => new Invalid("RmsProp.Eps", Require.Show(e),
            Valid with { Optimizer = new RmsProp(Eps: e) }));
        var tracked = Gen.Choose(11, 50).Select(b => new Invalid("Probes.TrackedBatch", b.ToString(),
            Valid with { Probes = new Probes(TrackedBatch: b) }));
        var device = Gen.Elements("gpu", "tpu", "").Select(d => new Invalid("Experiment.Device", $"\"{d}\"",
            Valid with { Device = d }));
        return Gen.OneOf(negativeLr, beta2, beta1, batch, epochs, eps, tracked, device).ToArbitrary();
    }

    [Property(MaxTest = 40)]
    public Property Invalid_descriptions_are_rejected_before_any_compute_naming_field_and_value() =>
        Prop.ForAll(InvalidExperiments(), bad =>
        {
            int runsStarted = 0;
            var error = Record.Exception(() => Engine.Run([Valid, bad.Experiment], onRunDone: _ => runsStarted++));
            return (error is InvalidExperimentException
                    && error.Message.Contains(bad.Field)
                    && error.Message.Contains($"got {bad.Shown}")
                    && error.Message.Contains("experiment 1:")
                    && runsStarted == 0)
                .Label($"{bad.Field} = {bad.Shown}: {error?.Message ?? "no error"} (runs started: {runsStarted})");
        });
}
