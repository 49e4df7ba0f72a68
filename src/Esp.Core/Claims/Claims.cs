using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;

namespace Esp;

/// <summary>
/// Checks claims: draws every case of a claim from its seed (FsCheck's generator, so a seed replays the same cases),
/// runs them all as one grid through the engine (batched, on every core), evaluates the claim on each case's runs,
/// and shrinks the first failing case (<see cref="Shrink"/>): each round runs the simpler candidates together and
/// keeps the first that still fails, until none does. A predicate that throws counts as a failing case.
/// </summary>
public static class Claims
{
    const int MaxShrinkRounds = 30;

    public static ClaimResult Check(Claim claim, EngineOptions? options = null, TextWriter? log = null)
    {
        if (claim.Errors().ToList() is { Count: > 0 } errors) throw new InvalidExperimentException(errors);
        var clock = Stopwatch.StartNew();
        var cases = Gen.Sample(claim.Generator, claim.Cases, new Rnd((ulong)claim.Seed), 10).ToArray();
        var outcomes = Evaluate(claim, cases, options);
        Unfinished(log, claim, outcomes, "cases");
        int firstFailure = Array.FindIndex(outcomes, o => !o.Holds);
        if (firstFailure < 0) return new ClaimResult(claim, cases.Length, cases.Length, null, null, 0, null, clock.Elapsed.TotalSeconds);

        var (failing, steps) = (outcomes[firstFailure], 0);
        var tried = new List<Outcome>();
        for (int round = 0; round < MaxShrinkRounds; round++)
        {
            var candidates = Shrink.Candidates(failing.Case).ToArray();
            if (candidates.Length == 0) break;
            var evaluated = Evaluate(claim, candidates, options);
            tried.AddRange(evaluated);
            var simpler = evaluated.FirstOrDefault(o => !o.Holds);
            if (simpler is null) break;
            (failing, steps) = (simpler, steps + 1);
        }
        Unfinished(log, claim, tried, "shrink candidates");
        return new ClaimResult(claim, cases.Length, outcomes.Count(o => o.Holds), outcomes[firstFailure].Runs, failing.Runs, steps,
            failing.Error, clock.Elapsed.TotalSeconds);
    }

    sealed record Outcome(Experiment[] Case, IReadOnlyList<RunRecord> Runs, bool Holds, string? Error);

    /// <summary>One line for all the <paramref name="what"/> with a run that diverged or exploded (the engine's line per
    /// run would number runs of a throwaway grid, once per shrink candidate).</summary>
    static void Unfinished(TextWriter? log, Claim claim, IReadOnlyList<Outcome> outcomes, string what)
    {
        var cases = outcomes.Where(o => o.Runs.Any(r => r.Status != RunStatus.Completed)).ToList();
        if (log is null || cases.Count == 0) return;
        int diverged = cases.Count(o => o.Runs.Any(r => r.Status == RunStatus.Diverged));
        log.WriteLine($"claim \"{claim.Name}\": {cases.Count} of {outcomes.Count} {what} had a run that diverged ({diverged}) " +
            $"or exploded ({cases.Count - diverged}); the claim was evaluated on them as they are");
    }

    /// <summary>Every case's runs as one grid; then the claim on each case.</summary>
    static Outcome[] Evaluate(Claim claim, IReadOnlyList<Experiment[]> cases, EngineOptions? options)
    {
        var grid = cases.SelectMany(c => c).ToList();
        var records = Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
        var outcomes = new Outcome[cases.Count];
        for (int k = 0, at = 0; k < cases.Count; at += cases[k].Length, k++)
        {
            var runs = records.Skip(at).Take(cases[k].Length).ToList();
            try { outcomes[k] = new Outcome(cases[k], runs, claim.Holds(runs), null); }
            catch (Exception e) { outcomes[k] = new Outcome(cases[k], runs, false, $"{e.GetType().Name}: {e.Message}"); }
        }
        return outcomes;
    }
}
