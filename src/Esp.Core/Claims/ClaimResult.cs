namespace Esp;

/// <summary>A case as drawn: its experiments, their runs and the generator's choices that drew it.</summary>
public sealed record ClaimCase(IReadOnlyList<RunRecord> Runs, IReadOnlyList<Choice> Choices)
{
    /// <summary>"batch=12, seed=0, beta2=0.78": the choices that drew the case (each shrinks towards its simplest).</summary>
    public string ChoicesText => string.Join(", ", Choices);
}

/// <summary>
/// What checking a claim found: how many of its cases held, how many had a run that diverged or exploded (and were
/// judged, failed or discarded as the claim says), and when one failed, that case as drawn (<see cref="FirstFailure"/>)
/// and shrunk (<see cref="Counterexample"/>), both within the generator's ranges. <see cref="Reproduced"/>: the shrunk
/// case failed again when run once more alone.
/// </summary>
public sealed record ClaimResult(Claim Claim, int Seed, int Cases, int Passed, int Unfinished, int Diverged, int Discarded,
    ClaimCase? FirstFailure, ClaimCase? Counterexample, int ShrinkSteps, string? Error, bool Reproduced, double Seconds)
{
    public bool Holds => Counterexample is null;

    /// <summary>One line, "HOLDS  no shuffle => no sawtooth  (20 cases, seed 0, 1.3 s)", or FAILS with the failing case and its shrunk form.</summary>
    public override string ToString()
    {
        string unfinished = Unfinished == 0 ? ""
            : $", {Unfinished} with a run that diverged ({Diverged}) or exploded ({Unfinished - Diverged}): " +
              Claim.Unfinished switch { Esp.Unfinished.Fail => "failed", Esp.Unfinished.Discard => "discarded", _ => "judged" };
        if (Holds) return $"HOLDS  {Claim.Name}  ({Cases} cases{unfinished}, seed {Seed}, {Seconds:F1} s)";
        return $"FAILS  {Claim.Name}  ({Passed} of {Cases} cases held{unfinished}, seed {Seed}, {Seconds:F1} s)" +
               $"\n       first failing case ({FirstFailure!.ChoicesText}):" + Runs(FirstFailure) +
               $"\n       shrunk in {ShrinkSteps} steps to ({Counterexample!.ChoicesText}):" + Runs(Counterexample) +
               (Reproduced ? "" : "\n         the shrunk case held when run again alone: the claim depends on more than the descriptions") +
               (Error is null ? "" : $"\n         the predicate threw: {Error}");
    }

    static string Runs(ClaimCase c) => string.Concat(c.Runs.Select(r => $"\n         {Settings(r.Experiment)}\n           -> {Describe(r)}"));

    /// <summary>A case's description as its settings (the manifest keeps the full records).</summary>
    public static string Settings(Experiment x) =>
        string.Join(", ", x.Settings().Where(s => s.Column != "device").Select(s => $"{s.Column}={Require.Show(s.Value)}").Append($"epochs={x.Epochs}"));

    static string Describe(RunRecord r) => EspMetrics.WhyNot(r.StepsTaken, r.Experiment.StepsPerEpoch) is null
        ? $"{Metrics(EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch))}, final loss {EspMetrics.FinalLoss(r.Losses, r.Experiment.StepsPerEpoch):F4}, {r.Status.ToString().ToLowerInvariant()}"
        : $"{r.StepsTaken} steps, {r.Status.ToString().ToLowerInvariant()}";

    static string Metrics(EspMetrics m) => $"sawtooth {m.SawtoothIndex:F3}, rise {m.RiseIndex:F3}, amplitude {m.Amplitude:F3}";
}
