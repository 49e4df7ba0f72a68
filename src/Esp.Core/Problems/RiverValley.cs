using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A river-valley loss (the picture behind warmup-stable-decay schedules): x = (u, h_1..h_H). N functions
/// f_i(x) = Rho (u - v_i)^2 + sum_j a_j (h_j - c_ij)^2, a_j ~ U(HillLow, HillHigh), c_ij ~ N(0, Noise^2), v_i ~ N(0, Noise^2),
/// x starting at (U0, 0, ..., 0). The river u is flat (curvature Rho, small) and its minibatch gradient weak; the hills
/// are steep and each batch pulls them towards its own noisy centre, so at a constant learning rate they keep
/// oscillating. The full loss splits exactly into three parts, recorded after each epoch (epochs.csv):
/// river_loss = Rho (u - mean v)^2, hill_loss = sum_j a_j (h_j - mean_i c_ij)^2, and a floor (the loss at the minimum:
/// the functions' spread) that no optimizer can remove: full_loss = river_loss + hill_loss + floor.
/// </summary>
public sealed record RiverValley(int N = 1000, int Hills = 20, double Rho = 0.001, double HillLow = 1, double HillHigh = 10,
    double Noise = 1, double U0 = 30, Precision Precision = Precision.Float64, int? DataSeed = null) : Problem
{
    internal override int Examples => N;
    internal override int Parameters => 1 + Hills;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("n", N), ("d", 1 + Hills), ("rho", Rho), ("noise", Noise), ("precision", Precision == Precision.Float64 ? "float64" : "float32")];

    internal override object BatchKey => (nameof(RiverValley), N, Hills, Precision);

    internal override IReadOnlyList<string> EpochColumns => ["river_loss", "hill_loss", "floor"];

    internal override long TensorBytesPerRun(Experiment x) => (long)N * (Hills + 2) * 8 * 3 + 16L * (1 + Hills) * 8;

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        new RiverValleyTensors(runs, device, type);

    public override IEnumerable<string> Errors()
    {
        if (N < 1) yield return $"RiverValley.N must be >= 1, got {N}: use e.g. 1000";
        if (Hills < 1) yield return $"RiverValley.Hills must be >= 1, got {Hills}: use e.g. 20";
        foreach (var e in Require.Positive("RiverValley.Rho", Rho, "use a small curvature, e.g. 0.001")) yield return e;
        if (!(HillLow > 0 && HillLow <= HillHigh && double.IsFinite(HillHigh)))
            yield return $"RiverValley.HillLow..HillHigh must be a positive range with low <= high, got [{Require.Show(HillLow)}, {Require.Show(HillHigh)}]: use e.g. 1..10";
        foreach (var e in Require.NonNegative("RiverValley.Noise", Noise, "use e.g. 1")) yield return e;
        if (!double.IsFinite(U0)) yield return $"RiverValley.U0 must be finite, got {Require.Show(U0)}: use e.g. 30";
    }

    /// <summary>The drawn coefficients: a [H], c [N, H] row-major, v [N].</summary>
    internal (double[] A, double[] C, double[] V) Draw(int seed)
    {
        var rng = Rng.For(DataSeed ?? seed, "river");
        double Normal() => Noise * rng.Normal();
        var a = Enumerable.Range(0, Hills).Select(_ => rng.Uniform(HillLow, HillHigh)).ToArray();
        var c = Enumerable.Range(0, N * Hills).Select(_ => Normal()).ToArray();
        var v = Enumerable.Range(0, N).Select(_ => Normal()).ToArray();
        return (a, c, v);
    }
}

/// <summary>The river-valley problem of a batch of runs: a [R, H], c [R, N, H], v [R, N]; theta [R, 1 + H] (u first).</summary>
sealed class RiverValleyTensors : ITensorProblem
{
    readonly Tensor a, c, v, rho, cMean, vMean, floor;
    readonly double[] u0;
    readonly ScalarType type;
    readonly Device device;

    public RiverValleyTensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type)
    {
        (this.device, this.type) = (device, type);
        var problems = runs.Select(x => (RiverValley)x.Problem).ToArray();
        var drawn = runs.Select(x => ((RiverValley)x.Problem).Draw(x.Seed)).ToArray();
        int r = runs.Count, n = problems[0].N, h = problems[0].Hills;
        Tensor T(IEnumerable<double> values, long[] shape) => tensor(values.ToArray(), shape, dtype: type, device: device).DetachFromDisposeScope();
        a = T(drawn.SelectMany(d => d.A), [r, h]);
        c = T(drawn.SelectMany(d => d.C), [r, n, h]);
        v = T(drawn.SelectMany(d => d.V), [r, n]);
        rho = T(problems.Select(p => p.Rho), [r, 1]);
        cMean = c.mean([1]).DetachFromDisposeScope();
        vMean = v.mean([1], keepdim: true).DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        using var k = new Scalars(); // add's implicit alpha may be freed by the GC mid-call
        // the loss at the minimum: rho var(v) + sum_j a_j var_i(c_ij) (population variances)
        floor = rho.squeeze(1).mul(v.sub(vMean).square().mean([1])).add(a.mul(c.sub(cMean.unsqueeze(1)).square().mean([1])).sum([1]), k[1])
            .DetachFromDisposeScope();
        u0 = problems.Select(p => p.U0).ToArray();
    }

    public Tensor InitialTheta()
    {
        var theta = zeros(u0.Length, a.shape[1] + 1, dtype: type, device: device);
        theta.select(1, 0).copy_(tensor(u0, dtype: type, device: device));
        return theta;
    }

    public Tensor? DecayMask => null;
    public Tensor? RandomState { get => null; set { } }

    public ITensorEpoch Epoch(int[][][] batches) => new RiverEpoch(this, batches);

    public Tensor FullLoss(Tensor theta) => Batch(theta, c, v).Loss;

    public double[][] EpochValues(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var (river, hill) = Parts(theta);
        double[] Host(Tensor t) => t.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        return [Host(river), Host(hill), Host(floor)];
    }

    /// <summary>River part rho (u - mean v)^2 and hill part sum a (h - mean c)^2, each [R].</summary>
    (Tensor River, Tensor Hill) Parts(Tensor theta)
    {
        var u = theta.select(1, 0).unsqueeze(1);
        var hills = theta.narrow(1, 1, a.shape[1]);
        return (rho.mul(u.sub(vMean).square()).squeeze(1), a.mul(hills.sub(cMean).square()).sum([1]));
    }

    /// <summary>Each run's mean loss over the functions (cb [R, B, H], vb [R, B]) and its gradient [R, 1 + H].</summary>
    (Tensor Loss, Tensor Grad) Batch(Tensor theta, Tensor cb, Tensor vb)
    {
        using var k = new Scalars();
        var u = theta.select(1, 0).unsqueeze(1);                       // [R, 1]
        var riverResidual = u.sub(vb);                                   // [R, B]
        var hillResidual = theta.narrow(1, 1, a.shape[1]).unsqueeze(1).sub(cb); // [R, B, H]
        var loss = rho.mul(riverResidual.square()).add(hillResidual.square().mul(a.unsqueeze(1)).sum([2]), k[1]).mean([1]);
        var gradU = rho.mul(riverResidual.mean([1], keepdim: true)).mul_(k[2.0]);
        var gradH = a.mul(hillResidual.mean([1])).mul_(k[2.0]);
        return (loss, cat([gradU, gradH], 1));
    }

    sealed class RiverEpoch(RiverValleyTensors p, int[][][] batches) : ITensorEpoch
    {
        public int Count => batches[0].Length;

        public ITensorBatchLoss Batch(int k)
        {
            var index = tensor(batches.SelectMany(run => run[k].Select(i => (long)i)).ToArray(), [batches.Length, batches[0][k].Length], device: p.device);
            var cb = p.c.gather(1, index.unsqueeze(2).expand(-1, -1, p.a.shape[1]));
            return new RiverBatch(p, cb, p.v.gather(1, index));
        }
    }

    sealed class RiverBatch(RiverValleyTensors p, Tensor cb, Tensor vb) : ITensorBatchLoss
    {
        public Tensor Loss(Tensor theta) => p.Batch(theta, cb, vb).Loss;
        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training) => p.Batch(theta, cb, vb);
    }

    public void Dispose()
    {
        foreach (var t in new[] { a, c, v, rho, cMean, vMean, floor }) t.Dispose();
    }
}
