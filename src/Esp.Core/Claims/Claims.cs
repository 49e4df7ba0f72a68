using System.Diagnostics;

namespace Esp;

/// <summary>
/// Checks claims: draws every case of a claim from its seed (case k of seed s always the same), runs them all as one
/// grid through the engine (batched, on every core), evaluates the claim on each case's runs, and shrinks the first
/// failing case by its choices (<see cref="Shrink"/>): each round draws every single-step simplification again, runs
/// them together and keeps the first that still fails, until none does (the case is then locally minimal) or 200
/// rounds have passed; the shrunk case is then run once more alone and must fail again. A predicate that throws counts
/// as a failing case.
/// </summary>
public static class Claims
{
    const int MaxShrinkRounds = 200;

    /// <summary>Checks <paramref name="claim"/>; its seed, when it names none, is <paramref name="defaultSeed"/> (a script's --seed).</summary>
    public static ClaimResult Check(Claim claim, EngineOptions? options = null, int defaultSeed = 0)
    {
        if (claim.Errors().ToList() is { Count: > 0 } errors) throw new InvalidExperimentException(errors);
        var clock = Stopwatch.StartNew();
        int seed = claim.Seed ?? defaultSeed;
        var drawn = Enumerable.Range(0, claim.Cases).Select(k => Draw(claim, Choices.Fresh(seed, k))).ToList();
        if (drawn.FirstOrDefault(d => !d.Usable) is { } tooShort)
            throw new InvalidExperimentException([$"claim \"{claim.Name}\": a drawn case has {tooShort.Case.Min(x => x.Epochs)} epochs, fewer than its " +
                $"MinEpochs = {claim.MinEpochs} ({tooShort.ChoicesText}): narrow the generator's epochs range to at least {claim.MinEpochs}"]);
        var outcomes = Evaluate(claim, drawn, options);
        int unfinished = outcomes.Count(o => o.Unfinished), diverged = outcomes.Count(o => o.Diverged);
        int passed = outcomes.Count(o => o.Verdict == Verdict.Holds), discarded = outcomes.Count(o => o.Verdict == Verdict.Discarded);
        var first = outcomes.FirstOrDefault(o => o.Verdict == Verdict.Fails);
        if (first is null)
            return new ClaimResult(claim, seed, claim.Cases, passed, unfinished, diverged, discarded, null, null, 0, null, true, clock.Elapsed.TotalSeconds);

        var (failing, steps) = (first, 0);
        for (int round = 0; round < MaxShrinkRounds; round++)
        {
            var candidates = Simpler(claim, failing.Drawn).ToList();
            var simpler = Evaluate(claim, candidates, options).FirstOrDefault(o => o.Verdict == Verdict.Fails);
            if (simpler is null) break;
            (failing, steps) = (simpler, steps + 1);
        }
        bool reproduced = Evaluate(claim, [Draw(claim, Choices.Replay(failing.Drawn.Choices))], options)[0].Verdict == Verdict.Fails;
        return new ClaimResult(claim, seed, claim.Cases, passed, unfinished, diverged, discarded, first.Case, failing.Case, steps,
            failing.Error, reproduced, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The cases one shrink step away from <paramref name="current"/>: drawn again from each single simplification
    /// of its choices, those that differ from it and that the claim can judge (MinEpochs).</summary>
    internal static IEnumerable<Drawn> Simpler(Claim claim, Drawn current) => Shrink.Steps(current.Choices)
        .Select(choices => Draw(claim, Choices.Replay(choices)))
        .Where(d => d.Usable && d.Key != current.Key)
        .DistinctBy(d => d.Key);

    /// <summary>A case drawn from <paramref name="choices"/>: its experiments and the choices the generator made.</summary>
    internal static Drawn Draw(Claim claim, Choices choices)
    {
        var experiments = claim.Generator.Draw(choices);
        return new Drawn(experiments, choices.Made, experiments.All(x => x.Epochs >= claim.MinEpochs));
    }

    internal sealed record Drawn(Experiment[] Case, IReadOnlyList<Choice> Choices, bool Usable)
    {
        /// <summary>What identifies the case: its choices, by label and index.</summary>
        public string Key => string.Join(",", Choices.Select(c => $"{c.Label}:{c.Index}"));
        public string ChoicesText => string.Join(", ", Choices);
    }

    internal enum Verdict { Holds, Fails, Discarded }

    internal sealed record Outcome(Drawn Drawn, ClaimCase Case, Verdict Verdict, bool Unfinished, bool Diverged, string? Error);

    /// <summary>Every case's runs as one grid; then the claim on each case.</summary>
    internal static Outcome[] Evaluate(Claim claim, IReadOnlyList<Drawn> cases, EngineOptions? options)
    {
        var grid = cases.SelectMany(c => c.Case).ToList();
        var records = grid.Count == 0 ? [] : Engine.Run(grid, TextWriter.Null, options: options).RunRecords;
        var outcomes = new Outcome[cases.Count];
        for (int k = 0, at = 0; k < cases.Count; at += cases[k].Case.Length, k++)
        {
            var runs = records.Skip(at).Take(cases[k].Case.Length).ToList();
            bool unfinished = runs.Any(r => r.Status != RunStatus.Completed), diverged = runs.Any(r => r.Status == RunStatus.Diverged);
            var (verdict, error) = (unfinished, claim.Unfinished) switch
            {
                (true, Unfinished.Fail) => (Verdict.Fails, null),
                (true, Unfinished.Discard) => (Verdict.Discarded, null),
                _ => Judge(claim, runs),
            };
            outcomes[k] = new Outcome(cases[k], new ClaimCase(runs, cases[k].Choices), verdict, unfinished, diverged, error);
        }
        return outcomes;
    }

    static (Verdict, string?) Judge(Claim claim, IReadOnlyList<RunRecord> runs)
    {
        try { return (claim.Holds(runs) ? Verdict.Holds : Verdict.Fails, null); }
        catch (Exception e) { return (Verdict.Fails, $"{e.GetType().Name}: {e.Message}"); }
    }
}
