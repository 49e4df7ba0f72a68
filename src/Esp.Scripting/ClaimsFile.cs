using System.Globalization;
using System.Text;

namespace Esp.Scripting;

/// <summary>
/// claims.csv: one row per claim checked (claim, cases, passed, seed, holds, unfinished: cases with a run that diverged
/// or exploded, discarded: those the claim left out, then the first failing case and its shrunk form as descriptions and
/// as the generator's choices, error, seconds), and claims.html: the batch loss of each counterexample, a panel per
/// failed claim.
/// </summary>
static class ClaimsFile
{
    public static void Save(IReadOnlyList<ClaimResult> results, string folder)
    {
        static string Case(ClaimCase? c) => Csv.Quote(c is null ? "" : string.Join(" | ", c.Runs.Select(x => ClaimResult.Settings(x.Experiment))));
        static string Choices(ClaimCase? c) => Csv.Quote(c?.ChoicesText ?? "");
        var text = new StringBuilder("claim,cases,passed,seed,holds,unfinished,discarded,first_failure,first_failure_choices,counterexample,counterexample_choices,error,seconds\n");
        foreach (var r in results)
            text.Append(string.Join(",", Csv.Quote(r.Claim.Name), r.Cases, r.Passed, r.Seed, r.Holds ? "true" : "false", r.Unfinished, r.Discarded,
                Case(r.FirstFailure), Choices(r.FirstFailure), Case(r.Counterexample), Choices(r.Counterexample),
                Csv.Quote(r.Error ?? ""), r.Seconds.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteText(Path.Combine(folder, "claims.csv"), text.ToString());
        var failed = results.Where(r => !r.Holds).ToList();
        if (failed.Count == 0) return;
        var figure = failed.Select(r => Plot.Loss(new Results(r.Counterexample!.Runs), plotEvery: 10, title: $"counterexample: {r.Claim.Name}"))
            .Aggregate((a, b) => a.And(b));
        figure.Save(Path.Combine(folder, "claims.html"));
    }
}
