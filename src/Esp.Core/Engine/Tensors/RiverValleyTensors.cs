using static TorchSharp.torch;

namespace Esp;

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
