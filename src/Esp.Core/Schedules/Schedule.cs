namespace Esp;

/// <summary>
/// A learning-rate schedule: a multiplier of the optimizer's Lr as a function of the 0-based global step
/// and the run's total number of steps. Schedules compose: Warmup and Then wrap any other schedule.
/// </summary>
public abstract record Schedule
{
    public static readonly Schedule Constant = new ConstantLr();

    /// <summary>Multiplier of the base learning rate at <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public abstract double Factor(int step, int totalSteps);

    public abstract IEnumerable<string> Errors();

    /// <summary>A compact description for result columns, e.g. "warmup(100)+cosine(0)".</summary>
    public abstract string Label { get; }

    /// <summary>Runs this schedule for <paramref name="steps"/> steps, then <paramref name="next"/> on the rest.</summary>
    public Schedule Then(int steps, Schedule next) => new Sequence(this, steps, next);

    // The schedules by name, for scripts: Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.2), ...
    public static Schedule Cosine(double minFactor = 0) => new Esp.Cosine(minFactor);
    public static Schedule StepDecay(int everySteps, double gamma = 0.1) => new Esp.StepDecay(everySteps, gamma);
    public static Schedule Warmup(int steps, Schedule? after = null) => new Esp.Warmup(steps, after);
    public static Schedule Wsd(double warmupFraction = 0, double decayFraction = 0.1, double minFactor = 0, DecayShape shape = DecayShape.Linear) =>
        new Esp.Wsd(warmupFraction, decayFraction, minFactor, shape);
    public static Schedule WsdS(int cycles, double decayFraction = 0.1, double minFactor = 0, DecayShape shape = DecayShape.Linear) =>
        new Esp.WsdS(cycles, decayFraction, minFactor, shape);

    protected static IEnumerable<string> Fraction(string field, double value) =>
        Require.InRange(field, value, 0, 1, true, "use a fraction of the run between 0 and 1");
}

/// <summary>Factor 1 throughout.</summary>
public sealed record ConstantLr : Schedule
{
    public override double Factor(int step, int totalSteps) => 1;
    public override IEnumerable<string> Errors() => [];
    public override string Label => "constant";
}

/// <summary>Multiplies by Gamma every EverySteps steps (torch's StepLR).</summary>
public sealed record StepDecay(int EverySteps, double Gamma = 0.1) : Schedule
{
    public override double Factor(int step, int totalSteps) => Math.Pow(Gamma, step / EverySteps);
    public override IEnumerable<string> Errors() =>
        Require.When(EverySteps < 1, $"StepDecay.EverySteps must be >= 1, got {EverySteps}: use e.g. the steps of one epoch")
            .Concat(Require.Positive("StepDecay.Gamma", Gamma, "use e.g. 0.1"));
    public override string Label => $"step({EverySteps},{Require.Show(Gamma)})";
}

/// <summary>Cosine decay from 1 to MinFactor over the whole run.</summary>
public sealed record Cosine(double MinFactor = 0) : Schedule
{
    public override double Factor(int step, int totalSteps) =>
        MinFactor + (1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * step / Math.Max(1, totalSteps - 1)));
    public override IEnumerable<string> Errors() => Fraction("Cosine.MinFactor", MinFactor);
    public override string Label => $"cosine({Require.Show(MinFactor)})";
}

/// <summary>Linear warmup over Steps steps ((t+1)/Steps), then <see cref="After"/> over the rest of the run.</summary>
public sealed record Warmup(int Steps, Schedule? After = null) : Schedule
{
    public override double Factor(int step, int totalSteps) => step < Steps
        ? (step + 1.0) / Steps
        : (After ?? Constant).Factor(step - Steps, Math.Max(1, totalSteps - Steps));
    public override IEnumerable<string> Errors() =>
        Require.When(Steps < 1, $"Warmup.Steps must be >= 1, got {Steps}: use e.g. 100").Concat((After ?? Constant).Errors());
    public override string Label => $"warmup({Steps})+{(After ?? Constant).Label}";
}

/// <summary>
/// Warmup-Stable-Decay: linear warmup over WarmupFraction of the run, factor 1 in the stable phase, and a decay to
/// MinFactor over the last DecayFraction of the run, shaped by <see cref="DecayShape"/> (linear by default).
/// </summary>
public sealed record Wsd(double WarmupFraction = 0.0, double DecayFraction = 0.1, double MinFactor = 0, DecayShape Shape = DecayShape.Linear) : Schedule
{
    public override double Factor(int step, int totalSteps)
    {
        int warmup = (int)Math.Round(WarmupFraction * totalSteps), decay = (int)Math.Round(DecayFraction * totalSteps);
        int decayStart = totalSteps - decay;
        if (step < warmup) return (step + 1.0) / warmup;
        if (step < decayStart) return 1;
        return Decay.Factor(Shape, (step - decayStart + 1.0) / decay, MinFactor);
    }
    public override IEnumerable<string> Errors() => Fraction("Wsd.WarmupFraction", WarmupFraction)
        .Concat(Fraction("Wsd.DecayFraction", DecayFraction))
        .Concat(Fraction("Wsd.MinFactor", MinFactor))
        .Concat(Decay.Errors("Wsd", Shape, MinFactor))
        .Concat(Require.When(WarmupFraction + DecayFraction > 1,
            $"Wsd.WarmupFraction + Wsd.DecayFraction must be <= 1, got {Require.Show(WarmupFraction + DecayFraction)}: shorten one phase"));
    public override string Label => $"wsd({Require.Show(WarmupFraction)},{Require.Show(DecayFraction)},{Require.Show(MinFactor)}" +
        (Shape == DecayShape.Linear ? ")" : $",{Shape.ToString().ToLowerInvariant()})");
}

/// <summary>
/// WSD-S: Cycles equal cycles of a stable phase (factor 1) and a decay over the last DecayFraction of each cycle; after
/// each decay the run resumes at factor 1 from the decayed point (one main branch, as in the WSD-S paper), so a
/// decayed checkpoint is available at the end of every cycle.
/// </summary>
public sealed record WsdS(int Cycles, double DecayFraction = 0.1, double MinFactor = 0, DecayShape Shape = DecayShape.Linear) : Schedule
{
    public override double Factor(int step, int totalSteps)
    {
        double length = (double)totalSteps / Cycles;
        int Boundary(int k) => (int)Math.Round(k * length); // cycle k runs over [Boundary(k), Boundary(k + 1))
        int cycle = Math.Min(Cycles - 1, (int)(step / length));
        while (cycle < Cycles - 1 && step >= Boundary(cycle + 1)) cycle++;
        while (cycle > 0 && step < Boundary(cycle)) cycle--;
        int start = (int)Math.Round(cycle * length), end = (int)Math.Round((cycle + 1) * length);
        int decay = (int)Math.Round(DecayFraction * (end - start)), decayStart = end - decay;
        return step < decayStart ? 1 : Decay.Factor(Shape, (step - decayStart + 1.0) / decay, MinFactor);
    }
    public override IEnumerable<string> Errors() =>
        Require.When(Cycles < 1, $"WsdS.Cycles must be >= 1, got {Cycles}: use e.g. 3")
            .Concat(Fraction("WsdS.DecayFraction", DecayFraction)).Concat(Fraction("WsdS.MinFactor", MinFactor))
            .Concat(Decay.Errors("WsdS", Shape, MinFactor));
    public override string Label => $"wsd-s({Cycles},{Require.Show(DecayFraction)},{Require.Show(MinFactor)},{Shape.ToString().ToLowerInvariant()})";
}

/// <summary>First for FirstSteps steps, then Next (restarted at its own step 0) for the rest.</summary>
public sealed record Sequence(Schedule First, int FirstSteps, Schedule Next) : Schedule
{
    public override double Factor(int step, int totalSteps) => step < FirstSteps
        ? First.Factor(step, FirstSteps)
        : Next.Factor(step - FirstSteps, Math.Max(1, totalSteps - FirstSteps));
    public override IEnumerable<string> Errors() =>
        Require.When(FirstSteps < 0, $"Sequence.FirstSteps must be >= 0, got {FirstSteps}: use the length of the first phase")
            .Concat(First.Errors()).Concat(Next.Errors());
    public override string Label => $"{First.Label}[{FirstSteps}]>{Next.Label}";
}
