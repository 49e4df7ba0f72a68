using static TorchSharp.torch;

namespace Esp;

/// <summary>The noisy quadratic of a batch of runs: noise [R, N, D], H [D, D]; theta [R, D].</summary>
sealed class NoisyQuadraticTensors : ITensorProblem
{
    readonly Tensor noise, hessian;
    readonly double x0;
    readonly int runs;
    readonly Device device;
    readonly ScalarType type;

    public NoisyQuadraticTensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type)
    {
        (this.runs, this.device, this.type) = (runs.Count, device, type);
        var p = (NoisyQuadratic)runs[0].Problem;
        // runs that share a data seed (a learning-rate grid over seeds) share their noise: drawn once, copied per run
        var seeds = runs.Select(x => ((NoisyQuadratic)x.Problem).NoiseSeed(x.Seed)).ToArray();
        var drawn = seeds.Distinct().ToDictionary(s => s, p.Noise);
        noise = tensor(seeds.SelectMany(s => drawn[s]).ToArray(), [runs.Count, p.N, p.D], dtype: type, device: device)
            .DetachFromDisposeScope();
        hessian = tensor(p.Hessian(), [p.D, p.D], dtype: type, device: device).DetachFromDisposeScope();
        x0 = p.X0;
    }

    public Tensor InitialTheta()
    {
        using var k = new Scalars(); // a temporary Scalar could be freed while libtorch reads it
        return full(runs, hessian.shape[0], k[x0], dtype: type, device: device);
    }

    public Tensor? DecayMask => null;
    public Tensor? RandomState { get => null; set { } }

    public ITensorEpoch Epoch(int[][][] batches) => new NoisyEpoch(this, batches);

    /// <summary>The population loss 1/2 x^T H x, [R].</summary>
    public Tensor FullLoss(Tensor theta)
    {
        using var k = new Scalars();
        return theta.matmul(hessian).mul(theta).sum([1]).mul(k[0.5]);
    }

    public double[][] EpochValues(Tensor theta) => [];

    /// <summary>The batch's mean f_i and its gradient H x + mean eps_i, for noise rows eb [R, B, D].</summary>
    (Tensor Loss, Tensor Grad) Batch(Tensor theta, Tensor eb)
    {
        using var k = new Scalars(); // held to the end of the ops: an implicit Scalar (add's alpha too) may be freed by the GC mid-call
        var hx = theta.matmul(hessian);
        var meanNoise = eb.mean([1]);
        return (hx.mul(theta).sum([1]).mul(k[0.5]).add(meanNoise.mul(theta).sum([1]), k[1]), hx.add(meanNoise, k[1]));
    }

    sealed class NoisyEpoch(NoisyQuadraticTensors p, int[][][] batches) : ITensorEpoch
    {
        public int Count => batches[0].Length;

        public ITensorBatchLoss Batch(int k)
        {
            var index = tensor(batches.SelectMany(run => run[k].Select(i => (long)i)).ToArray(), [batches.Length, batches[0][k].Length], device: p.device);
            return new NoisyBatch(p, p.noise.gather(1, index.unsqueeze(2).expand(-1, -1, p.noise.shape[2])));
        }
    }

    sealed class NoisyBatch(NoisyQuadraticTensors p, Tensor eb) : ITensorBatchLoss
    {
        public Tensor Loss(Tensor theta) => p.Batch(theta, eb).Loss;
        public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training) => p.Batch(theta, eb);
    }

    public void Dispose()
    {
        noise.Dispose();
        hessian.Dispose();
    }
}
