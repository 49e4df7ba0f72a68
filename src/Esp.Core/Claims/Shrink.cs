namespace Esp;

/// <summary>
/// Simpler versions of a failing case, most simplifying first: the default sampler, seed 0, fewer epochs (not below
/// 4, which the ESP metrics need), a smaller problem (half N and D, for the paper's N = D = 100 x batch: a smaller batch),
/// hyperparameters rounded to fewer decimals. The same change is made to every experiment of the case, so runs meant
/// to be compared stay comparable.
/// </summary>
static class Shrink
{
    public static IEnumerable<Experiment[]> Candidates(Experiment[] c)
    {
        var changes = new Func<Experiment, Experiment?>[]
        {
            x => x.Seed != 0 ? x with { Seed = 0 } : null,
            x => x.Schedule is not null and not ConstantLr ? x with { Schedule = null } : null,
            x => x.Epochs > 4 ? x with { Epochs = Math.Max(4, x.Epochs / 2) } : null,
            x => x.Epochs > 4 ? x with { Epochs = x.Epochs - 1 } : null,
            x => x.Problem is QuadraticProblem q && q.N == 100 * x.BatchSize && x.BatchSize > 1
                ? x with { Problem = q with { N = 100 * (x.BatchSize / 2), D = 100 * (x.BatchSize / 2) }, BatchSize = x.BatchSize / 2 } : null,
            x => x.Problem is QuadraticProblem q && q.N == 100 * x.BatchSize && x.BatchSize > 1
                ? x with { Problem = q with { N = 100 * (x.BatchSize - 1), D = 100 * (x.BatchSize - 1) }, BatchSize = x.BatchSize - 1 } : null,
            x => Round(x, 1), x => Round(x, 2), x => Round(x, 3),
        };
        foreach (var change in changes)
        {
            var changed = c.Select(change).ToArray();
            if (changed.All(x => x is null)) continue;
            var candidate = changed.Select((x, i) => x ?? c[i]).ToArray();
            if (!candidate.SequenceEqual(c)) yield return candidate;
        }
    }

    /// <summary>Adam's numbers rounded to <paramref name="decimals"/> (eps to its decade); null when nothing changes.</summary>
    static Experiment? Round(Experiment x, int decimals)
    {
        if (x.Optimizer is not Adam a) return null;
        double R(double v) => Math.Round(v, decimals);
        var rounded = a with { Lr = R(a.Lr) > 0 ? R(a.Lr) : a.Lr, Beta1 = R(a.Beta1), Beta2 = Math.Min(R(a.Beta2), 0.999999) };
        return rounded == a ? null : x with { Optimizer = rounded };
    }
}
