using FsCheck;
using FsCheck.Fluent;

namespace Esp;

/// <summary>
/// FsCheck generators of experiment descriptions, with ranges a claim narrows: <c>Gens.Adam(beta2: (0.8, 0.999))</c>,
/// <c>Gens.Quadratic(batch: (10, 20))</c>. Numbers are drawn on a grid (3 significant decimals) so descriptions print
/// readably; an empty or invalid range is an error before anything runs, naming it.
/// </summary>
public static class Gens
{
    /// <summary>The paper's problem in its regime: batch size B from <paramref name="batch"/> and N = D = 100 B, so an
    /// epoch is 100 steps (w = 10 as in the paper); 10 epochs; the run's seed from <paramref name="seeds"/>.</summary>
    public static Gen<Experiment> Quadratic(Gen<Optimizer> optimizer, Gen<Sampler> sampler, (int Low, int High)? batch = null,
        (int Low, int High)? seeds = null, int epochs = 10, Gen<Schedule>? schedule = null, Gen<Probes>? probes = null)
    {
        var (b, s) = (batch ?? (10, 20), seeds ?? (0, 100_000));
        Check("Gens.Quadratic batch", b.Low, b.High, 1, int.MaxValue / 100);
        Check("Gens.Quadratic seeds", s.Low, s.High, 0, int.MaxValue);
        if (epochs < 4) throw new InvalidExperimentException([$"Gens.Quadratic epochs must be >= 4 (the ESP metrics need 4), got {epochs}"]);
        return from size in Gen.Choose(b.Low, b.High)
               from seed in Gen.Choose(s.Low, s.High)
               from o in optimizer
               from smp in sampler
               from lr in schedule ?? Gen.Constant(Schedule.Constant)
               from p in probes ?? Gen.Constant(Esp.Probes.None)
               select new Experiment(new QuadraticProblem(N: 100 * size, D: 100 * size), o, smp, Epochs: epochs, BatchSize: size, Seed: seed,
                                     Schedule: lr, Probes: p);
    }

    /// <summary>Adam with lr, beta1, beta2 from the given ranges (defaults: the paper's values) and eps one of <paramref name="eps"/>.</summary>
    public static Gen<Optimizer> Adam((double Low, double High)? lr = null, (double Low, double High)? beta1 = null,
        (double Low, double High)? beta2 = null, double[]? eps = null)
    {
        var (l, b1, b2) = (lr ?? (0.06, 0.06), beta1 ?? (0.9, 0.9), beta2 ?? (0.999, 0.999));
        Check("Gens.Adam lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.Adam beta1", b1.Low, b1.High, 0, 0.999999);
        Check("Gens.Adam beta2", b2.Low, b2.High, 0, 0.999999);
        var epsValues = eps ?? [1e-8];
        if (epsValues.Length == 0 || epsValues.Any(e => !(e > 0))) throw new InvalidExperimentException([$"Gens.Adam eps must list positive values, got [{string.Join(", ", epsValues)}]"]);
        return from lrValue in Between(l) from beta1Value in Between(b1) from beta2Value in Between(b2) from e in Gen.Elements(epsValues)
               select (Optimizer)new Esp.Adam(Lr: lrValue, Beta1: beta1Value, Beta2: beta2Value, Eps: e);
    }

    /// <summary>RMSProp (the paper's form) with lr and beta from the given ranges.</summary>
    public static Gen<Optimizer> RmsProp((double Low, double High)? lr = null, (double Low, double High)? beta = null)
    {
        var (l, b) = (lr ?? (0.06, 0.06), beta ?? (0.99, 0.99));
        Check("Gens.RmsProp lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.RmsProp beta", b.Low, b.High, 0, 0.999999);
        return from lrValue in Between(l) from betaValue in Between(b) select (Optimizer)new Esp.RmsProp(Lr: lrValue, Beta: betaValue);
    }

    /// <summary>SGD with lr and momentum from the given ranges.</summary>
    public static Gen<Optimizer> Sgd((double Low, double High)? lr = null, (double Low, double High)? momentum = null)
    {
        var (l, m) = (lr ?? (0.06, 0.06), momentum ?? (0, 0));
        Check("Gens.Sgd lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.Sgd momentum", m.Low, m.High, 0, 0.999999);
        return from lrValue in Between(l) from momentumValue in Between(m) select (Optimizer)new Esp.Sgd(Lr: lrValue, Momentum: momentumValue);
    }

    /// <summary>One of <paramref name="optimizers"/>' draws (e.g. Adam or RMSProp).</summary>
    public static Gen<Optimizer> OneOf(params Gen<Optimizer>[] optimizers) => optimizers.Length > 0 ? Gen.OneOf(optimizers)
        : throw new InvalidExperimentException(["Gens.OneOf needs at least one optimizer generator, e.g. Gens.OneOf(Gens.Adam(), Gens.RmsProp())"]);

    /// <summary>One of <paramref name="schedules"/> (e.g. Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.2)).</summary>
    public static Gen<Schedule> Schedules(params Schedule[] schedules) => schedules.Length > 0 ? Gen.Elements(schedules)
        : throw new InvalidExperimentException(["Gens.Schedules needs at least one schedule, e.g. Gens.Schedules(Schedule.Constant)"]);

    /// <summary>One of <paramref name="probes"/> (what the claim's predicate reads, e.g. new Probes(MomentNorms: true)).</summary>
    public static Gen<Probes> Probes(params Probes[] probes) => probes.Length > 0 ? Gen.Elements(probes)
        : throw new InvalidExperimentException(["Gens.Probes needs at least one Probes description, e.g. Gens.Probes(new Probes(GradNorm: true))"]);

    /// <summary>One of <paramref name="samplers"/>.</summary>
    public static Gen<Sampler> Samplers(params Sampler[] samplers) => samplers.Length > 0 ? Gen.Elements(samplers)
        : throw new InvalidExperimentException(["Gens.Samplers needs at least one sampler, e.g. Gens.Samplers(Sampler.Shuffle)"]);

    /// <summary>A value in [low, high] on a grid of 1/1000 of the range's scale (3 significant decimals).</summary>
    static Gen<double> Between((double Low, double High) range)
    {
        if (range.Low == range.High) return Gen.Constant(range.Low);
        double step = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(Math.Abs(range.Low), Math.Abs(range.High)))) - 3);
        long from = (long)Math.Ceiling(range.Low / step), to = (long)Math.Floor(range.High / step);
        return Gen.Choose(0, (int)Math.Min(int.MaxValue, to - from)).Select(k => Math.Round((from + k) * step, 12));
    }

    static void Check(string name, double low, double high, double min, double max)
    {
        if (!(low <= high) || low < min || high > max || !double.IsFinite(low) || !double.IsFinite(high))
            throw new InvalidExperimentException([$"{name} range ({Require.Show(low)}, {Require.Show(high)}) is empty or out of bounds: " +
                $"give (low, high) with low <= high, within [{Require.Show(min)}, {Require.Show(max)}]"]);
    }
}
