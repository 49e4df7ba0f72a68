namespace Esp;

/// <summary>What a claim does with a case one of whose runs diverged (NaN or Inf) or exploded.</summary>
public enum Unfinished
{
    /// <summary>The claim's predicate judges the case as it is (the default).</summary>
    Judge,
    /// <summary>The case fails the claim.</summary>
    Fail,
    /// <summary>The case is left out: it neither holds nor fails, and is counted as discarded.</summary>
    Discard,
}

/// <summary>
/// A research claim about loss patterns, stated as a property over generated experiments: every generated case is a
/// list of experiments (one run, or runs to compare), and <see cref="Holds"/> says whether the claim holds on their
/// results. <see cref="Claims.Check"/> tries <see cref="Cases"/> cases drawn from <see cref="Seed"/> (null: the script's
/// --seed, 0 outside scripts) and, when one fails, shrinks it by shrinking the generator's choices (see
/// <see cref="Generator{T}"/>). <see cref="MinEpochs"/> is what the claim's metrics need: no case, drawn or shrunk, has
/// fewer epochs. <see cref="Unfinished"/> says what a case with a diverged or exploded run counts as.
/// </summary>
public sealed record Claim(string Name, Generator<Experiment[]> Generator, Func<IReadOnlyList<RunRecord>, bool> Holds, int Cases = 20,
    int? Seed = null, int MinEpochs = 4, Unfinished Unfinished = Unfinished.Judge)
{
    /// <summary>A claim about single runs.</summary>
    public static Claim Of(string name, Generator<Experiment> generator, Func<RunRecord, bool> holds, int cases = 20, int? seed = null,
        int minEpochs = 4, Unfinished unfinished = Unfinished.Judge) =>
        new(name, generator.Select(x => new[] { x }), runs => holds(runs[0]), cases, seed, minEpochs, unfinished);

    public IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "Claim.Name must say what is claimed, e.g. \"no shuffle => no sawtooth\"";
        if (Cases < 1) yield return $"Claim.Cases must be >= 1, got {Cases}: use e.g. 20";
        if (Seed < 0) yield return $"Claim.Seed must be >= 0, got {Seed}: use any non-negative integer (a failure prints the seed that replays it)";
        if (MinEpochs < 4) yield return $"Claim.MinEpochs must be >= 4 (the ESP metrics need 4), got {MinEpochs}: use e.g. 8";
        if (!Enum.IsDefined(Unfinished)) yield return $"Claim.Unfinished must be Judge, Fail or Discard, got {(int)Unfinished}";
    }
}
