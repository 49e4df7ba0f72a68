namespace Esp;

/// <summary>
/// Generators of experiment descriptions (<see cref="Generator{T}"/>), with ranges a claim narrows:
/// <c>Gens.Adam(beta2: (0.8, 0.999))</c>, <c>Gens.Quadratic(batch: (10, 20))</c>, <c>Gens.Network(Gens.Mlp(...), ...)</c>;
/// and the primitives they are built of (<see cref="Int"/>, <see cref="Element{T}"/>, <see cref="Double"/>). Every
/// draw shrinks towards the low end of its range (or the first element listed). Numbers are drawn on a grid (3
/// significant decimals) so descriptions print readably; an empty or invalid range is an error before anything runs,
/// naming it.
/// </summary>
public static class Gens
{
    /// <summary>An integer in [low, high], shrinking towards low; <paramref name="label"/> names the choice in a counterexample.</summary>
    public static Generator<int> Int(int low, int high, string label = "int")
    {
        Check($"Gens.Int {label}", low, high, int.MinValue, int.MaxValue);
        return new(c => c.Draw(label, (ulong)((long)high - low + 1), k => (int)(low + (long)k)));
    }

    /// <summary>A number in [low, high] on a grid of 1/1000 of the range's scale (3 significant decimals), shrinking towards low.</summary>
    public static Generator<double> Double(double low, double high, string label = "double")
    {
        Check($"Gens.Double {label}", low, high, double.MinValue, double.MaxValue);
        return Between(label, (low, high));
    }

    /// <summary>One of <paramref name="values"/>, shrinking towards the first.</summary>
    public static Generator<T> Element<T>(string label, params T[] values) => values.Length > 0
        ? new(c => c.Draw(label, (ulong)values.Length, k => values[(int)k]))
        : throw new InvalidExperimentException([$"Gens.Element {label} needs at least one value"]);

    /// <summary>Always <paramref name="value"/> (no choice).</summary>
    public static Generator<T> Constant<T>(T value) => new(_ => value);

    /// <summary>A draw of one of <paramref name="generators"/>, shrinking towards the first (e.g. Adam or RMSProp).</summary>
    public static Generator<T> OneOf<T>(params Generator<T>[] generators) => generators.Length > 0
        ? new(c => generators[c.Draw("one of", (ulong)generators.Length, k => (int)k)].Draw(c))
        : throw new InvalidExperimentException(["Gens.OneOf needs at least one generator, e.g. Gens.OneOf(Gens.Adam(), Gens.RmsProp())"]);

    /// <summary>The paper's problem in its regime: batch size B from <paramref name="batch"/> and N = D = 100 B, so an
    /// epoch is 100 steps (w = 10 as in the paper); epochs from <paramref name="epochs"/> (default 10); the run's seed
    /// from <paramref name="seeds"/>.</summary>
    public static Generator<Experiment> Quadratic(Generator<Optimizer> optimizer, Generator<Sampler> sampler, (int Low, int High)? batch = null,
        (int Low, int High)? seeds = null, (int Low, int High)? epochs = null, Generator<Schedule>? schedule = null, Generator<Probes>? probes = null)
    {
        var (b, s, e) = (batch ?? (10, 20), seeds ?? (0, 100_000), epochs ?? (10, 10));
        Check("Gens.Quadratic batch", b.Low, b.High, 1, int.MaxValue / 100);
        Check("Gens.Quadratic seeds", s.Low, s.High, 0, int.MaxValue);
        CheckEpochs("Gens.Quadratic", e);
        return from size in Int(b.Low, b.High, "batch")
               from seed in Int(s.Low, s.High, "seed")
               from epochCount in Int(e.Low, e.High, "epochs")
               from o in optimizer
               from smp in sampler
               from lr in schedule ?? Constant(Schedule.Constant)
               from p in probes ?? Constant(Esp.Probes.None)
               select new Experiment(new QuadraticProblem(N: 100 * size, D: 100 * size), o, smp, Epochs: epochCount, BatchSize: size, Seed: seed,
                                     Schedule: lr, Probes: p);
    }

    /// <summary>A multilayer perceptron for <paramref name="inputs"/> features and <paramref name="outputs"/> classes:
    /// 1 to <paramref name="layers"/> hidden layers, each of a width from <paramref name="width"/>, dropout from
    /// <paramref name="dropout"/> (default none), ReLU. Shrinks towards fewer, narrower layers and less dropout.</summary>
    public static Generator<Model> Mlp(int inputs, int outputs, (int Low, int High)? layers = null, (int Low, int High)? width = null,
        (double Low, double High)? dropout = null)
    {
        var (l, w, d) = (layers ?? (1, 2), width ?? (8, 64), dropout ?? (0, 0));
        Check("Gens.Mlp layers", l.Low, l.High, 1, 16);
        Check("Gens.Mlp width", w.Low, w.High, 1, 1 << 20);
        Check("Gens.Mlp dropout", d.Low, d.High, 0, 0.99);
        return from count in Int(l.Low, l.High, "layers")
               from widths in List(count, Int(w.Low, w.High, "width"))
               from p in Between("dropout", d)
               select (Model)new Esp.Mlp(inputs, [.. widths], outputs, Dropout: p);
    }

    /// <summary>A network run: a model from <paramref name="model"/> on <paramref name="data"/>'s dataset, a batch size from
    /// <paramref name="batch"/>, epochs from <paramref name="epochs"/> (default 10), the run's seed from <paramref name="seeds"/>.
    /// Networks run one per batch on the tensor path; a claim's cases still run side by side on every core.</summary>
    public static Generator<Experiment> Network(Generator<Model> model, Generator<Dataset> data, Generator<Optimizer> optimizer,
        Generator<Sampler> sampler, (int Low, int High)? batch = null, (int Low, int High)? seeds = null, (int Low, int High)? epochs = null)
    {
        var (b, s, e) = (batch ?? (32, 32), seeds ?? (0, 100_000), epochs ?? (10, 10));
        Check("Gens.Network batch", b.Low, b.High, 1, int.MaxValue);
        Check("Gens.Network seeds", s.Low, s.High, 0, int.MaxValue);
        CheckEpochs("Gens.Network", e);
        return from m in model
               from d in data
               from size in Int(b.Low, b.High, "batch")
               from seed in Int(s.Low, s.High, "seed")
               from epochCount in Int(e.Low, e.High, "epochs")
               from o in optimizer
               from smp in sampler
               select new Experiment(new Esp.Network(m, d), o, smp, Epochs: epochCount, BatchSize: size, Seed: seed);
    }

    /// <summary>Esp's synthetic tabular task (<see cref="SyntheticTabular"/>, 14 features, 4 classes) with a number of training
    /// examples from <paramref name="examples"/>, shrinking towards fewer; its data seed is fixed, so cases differ in the
    /// run's seed, not in the task.</summary>
    public static Generator<Dataset> Tabular((int Low, int High)? examples = null, int validation = 0)
    {
        var n = examples ?? (320, 640);
        Check("Gens.Tabular examples", n.Low, n.High, 1, 1_000_000);
        return Int(n.Low, n.High, "examples").Select(count => (Dataset)new SyntheticTabular(TrainExamples: count, ValidationExamples: validation, DataSeed: 0));
    }

    /// <summary><paramref name="count"/> draws of <paramref name="item"/>.</summary>
    static Generator<IReadOnlyList<T>> List<T>(int count, Generator<T> item) =>
        new(c => Enumerable.Range(0, count).Select(_ => item.Draw(c)).ToList());

    /// <summary>Adam with lr, beta1, beta2 from the given ranges (defaults: the paper's values) and eps one of <paramref name="eps"/>.</summary>
    public static Generator<Optimizer> Adam((double Low, double High)? lr = null, (double Low, double High)? beta1 = null,
        (double Low, double High)? beta2 = null, double[]? eps = null)
    {
        var (l, b1, b2) = (lr ?? (0.06, 0.06), beta1 ?? (0.9, 0.9), beta2 ?? (0.999, 0.999));
        Check("Gens.Adam lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.Adam beta1", b1.Low, b1.High, 0, 0.999999);
        Check("Gens.Adam beta2", b2.Low, b2.High, 0, 0.999999);
        var epsValues = eps ?? [1e-8];
        if (epsValues.Length == 0 || epsValues.Any(e => !(e > 0))) throw new InvalidExperimentException([$"Gens.Adam eps must list positive values, got [{string.Join(", ", epsValues)}]"]);
        return from lrValue in Between("lr", l) from beta1Value in Between("beta1", b1) from beta2Value in Between("beta2", b2) from e in Element("eps", epsValues)
               select (Optimizer)new Esp.Adam(Lr: lrValue, Beta1: beta1Value, Beta2: beta2Value, Eps: e);
    }

    /// <summary>RMSProp (the paper's form) with lr and beta from the given ranges.</summary>
    public static Generator<Optimizer> RmsProp((double Low, double High)? lr = null, (double Low, double High)? beta = null)
    {
        var (l, b) = (lr ?? (0.06, 0.06), beta ?? (0.99, 0.99));
        Check("Gens.RmsProp lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.RmsProp beta", b.Low, b.High, 0, 0.999999);
        return from lrValue in Between("lr", l) from betaValue in Between("beta", b) select (Optimizer)new Esp.RmsProp(Lr: lrValue, Beta: betaValue);
    }

    /// <summary>SGD with lr and momentum from the given ranges.</summary>
    public static Generator<Optimizer> Sgd((double Low, double High)? lr = null, (double Low, double High)? momentum = null)
    {
        var (l, m) = (lr ?? (0.06, 0.06), momentum ?? (0, 0));
        Check("Gens.Sgd lr", l.Low, l.High, double.Epsilon, double.MaxValue);
        Check("Gens.Sgd momentum", m.Low, m.High, 0, 0.999999);
        return from lrValue in Between("lr", l) from momentumValue in Between("momentum", m) select (Optimizer)new Esp.Sgd(Lr: lrValue, Momentum: momentumValue);
    }

    /// <summary>One of <paramref name="schedules"/> (e.g. Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.2)).</summary>
    public static Generator<Schedule> Schedules(params Schedule[] schedules) => schedules.Length > 0 ? Element("schedule", schedules)
        : throw new InvalidExperimentException(["Gens.Schedules needs at least one schedule, e.g. Gens.Schedules(Schedule.Constant)"]);

    /// <summary>One of <paramref name="probes"/> (what the claim's predicate reads, e.g. new Probes(MomentNorms: true)).</summary>
    public static Generator<Probes> Probes(params Probes[] probes) => probes.Length > 0 ? Element("probes", probes)
        : throw new InvalidExperimentException(["Gens.Probes needs at least one Probes description, e.g. Gens.Probes(new Probes(GradNorm: true))"]);

    /// <summary>One of <paramref name="samplers"/>.</summary>
    public static Generator<Sampler> Samplers(params Sampler[] samplers) => samplers.Length > 0 ? Element("sampler", samplers)
        : throw new InvalidExperimentException(["Gens.Samplers needs at least one sampler, e.g. Gens.Samplers(Sampler.Shuffle)"]);

    /// <summary>A value in [low, high] on a grid of 1/1000 of the range's scale (3 significant decimals), shrinking towards low.</summary>
    static Generator<double> Between(string label, (double Low, double High) range)
    {
        if (range.Low == range.High) return Constant(range.Low);
        double step = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(Math.Abs(range.Low), Math.Abs(range.High)))) - 3);
        long from = (long)Math.Ceiling(range.Low / step), to = (long)Math.Floor(range.High / step);
        return new(c => c.Draw(label, (ulong)(to - from + 1), k => Math.Round((from + (long)k) * step, 12)));
    }

    static void CheckEpochs(string name, (int Low, int High) epochs)
    {
        if (epochs.Low < 4 || epochs.Low > epochs.High)
            throw new InvalidExperimentException([$"{name} epochs range ({epochs.Low}, {epochs.High}) is empty or below 4 (the ESP metrics need 4): " +
                "give (low, high) with 4 <= low <= high, e.g. (10, 10)"]);
    }

    static void Check(string name, double low, double high, double min, double max)
    {
        if (!(low <= high) || low < min || high > max || !double.IsFinite(low) || !double.IsFinite(high))
            throw new InvalidExperimentException([$"{name} range ({Require.Show(low)}, {Require.Show(high)}) is empty or out of bounds: " +
                $"give (low, high) with low <= high, within [{Require.Show(min)}, {Require.Show(max)}]"]);
    }
}
