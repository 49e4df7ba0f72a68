using System.Globalization;
using System.Text;

namespace Esp.Scripting;

/// <summary>
/// claims.csv: one row per claim checked (claim, cases, passed, seed, holds, counterexample: the shrunk case's
/// descriptions, seconds), and claims.html: the batch loss of each counterexample, a panel per failed claim.
/// </summary>
static class ClaimsFile
{
    public static void Save(IReadOnlyList<ClaimResult> results, string folder)
    {
        static string Case(IReadOnlyList<RunRecord>? runs) => Csv.Quote(runs is null ? "" : string.Join(" | ", runs.Select(x => ClaimResult.Settings(x.Experiment))));
        var text = new StringBuilder("claim,cases,passed,seed,holds,first_failure,counterexample,error,seconds\n");
        foreach (var r in results)
            text.Append(string.Join(",", Csv.Quote(r.Claim.Name), r.Cases, r.Passed, r.Claim.Seed, r.Holds ? "true" : "false",
                Case(r.FirstFailure), Case(r.Counterexample),
                Csv.Quote(r.Error ?? ""), r.Seconds.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteText(Path.Combine(folder, "claims.csv"), text.ToString());
        var failed = results.Where(r => !r.Holds).ToList();
        if (failed.Count == 0) return;
        var figure = failed.Select(r => Plot.Loss(new Results(r.Counterexample!), plotEvery: 10, title: $"counterexample: {r.Claim.Name}"))
            .Aggregate((a, b) => a.And(b));
        figure.Save(Path.Combine(folder, "claims.html"));
    }
}
