using FsCheck;

namespace Esp;

/// <summary>
/// A research claim about loss patterns, stated as a property over generated experiments: every generated case is a
/// list of experiments (one run, or runs to compare), and <see cref="Holds"/> says whether the claim holds on their
/// results. <see cref="Claims.Check"/> tries <see cref="Cases"/> cases drawn from <see cref="Seed"/> and, when one fails,
/// shrinks it to the simplest description that still fails.
/// </summary>
public sealed record Claim(string Name, Gen<Experiment[]> Generator, Func<IReadOnlyList<RunRecord>, bool> Holds, int Cases = 20, int Seed = 0)
{
    /// <summary>A claim about single runs.</summary>
    public static Claim Of(string name, Gen<Experiment> generator, Func<RunRecord, bool> holds, int cases = 20, int seed = 0) =>
        new(name, FsCheck.Fluent.Gen.Select(generator, x => new[] { x }), runs => holds(runs[0]), cases, seed);

    public IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "Claim.Name must say what is claimed, e.g. \"no shuffle => no sawtooth\"";
        if (Cases < 1) yield return $"Claim.Cases must be >= 1, got {Cases}: use e.g. 20";
        if (Seed < 0) yield return $"Claim.Seed must be >= 0, got {Seed}: use any non-negative integer (a failure prints the seed that replays it)";
    }
}

/// <summary>What checking a claim found: how many cases held, and the shrunk counterexample when one failed.</summary>
/// <see cref="FirstFailure"/> is the failing case as generated (within the claim's ranges); <see cref="Counterexample"/>
/// the same case shrunk (the shrinker may leave the ranges, e.g. a batch of 1: both are shown).
public sealed record ClaimResult(Claim Claim, int Cases, int Passed, IReadOnlyList<RunRecord>? FirstFailure,
    IReadOnlyList<RunRecord>? Counterexample, int ShrinkSteps, string? Error, double Seconds)
{
    public bool Holds => Counterexample is null;

    /// <summary>"HOLDS  no shuffle => no sawtooth  (20 cases, 1.3 s)" or "FAILS ..." with the failing case and its shrunk form.</summary>
    public override string ToString() => Holds
        ? $"HOLDS  {Claim.Name}  ({Cases} cases, seed {Claim.Seed}, {Seconds:F1} s)"
        : $"FAILS  {Claim.Name}  ({Passed} of {Cases} cases held, seed {Claim.Seed}, {Seconds:F1} s)\n       first failing case:" +
          string.Concat(FirstFailure!.Select(r => $"\n         {Settings(r.Experiment)}\n           -> {Describe(r)}")) +
          $"\n       shrunk in {ShrinkSteps} steps to:" +
          string.Concat(Counterexample!.Select(r => $"\n         {Settings(r.Experiment)}\n           -> {Describe(r)}")) +
          (Error is null ? "" : $"\n         the predicate threw: {Error}");

    /// <summary>A case's description as its settings (the manifest keeps the full records).</summary>
    public static string Settings(Experiment x) =>
        string.Join(", ", x.Settings().Where(s => s.Column != "device").Select(s => $"{s.Column}={Require.Show(s.Value)}").Append($"epochs={x.Epochs}"));

    static string Describe(RunRecord r) => EspMetrics.WhyNot(r.StepsTaken, r.Experiment.StepsPerEpoch) is null
        ? $"{Metrics(EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch))}, final loss {EspMetrics.FinalLoss(r.Losses, r.Experiment.StepsPerEpoch):F4}, {r.Status.ToString().ToLowerInvariant()}"
        : $"{r.StepsTaken} steps, {r.Status.ToString().ToLowerInvariant()}";

    static string Metrics(EspMetrics m) => $"sawtooth {m.SawtoothIndex:F3}, rise {m.RiseIndex:F3}, amplitude {m.Amplitude:F3}";
}
