using static TorchSharp.torch;

namespace Esp;

/// <summary>The quadratic problem's coefficients of every run of a batch, [R, N], on the device.</summary>
sealed class QuadraticTensors : ITensorProblem
{
    readonly IReadOnlyList<Experiment> runs;
    readonly Device device;
    readonly ScalarType type;
    readonly Tensor a, b, c, dim;

    public QuadraticTensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type)
    {
        (this.runs, this.device, this.type) = (runs, device, type);
        int n = runs[0].Problem.Examples;
        var data = runs.Select(x => QuadraticData.Draw(Of(x), x.Seed)).ToArray();
        Tensor Coefficients(Func<QuadraticData, double[]> of) =>
            tensor(data.SelectMany(of).ToArray(), [runs.Count, n], dtype: type, device: device).DetachFromDisposeScope();
        (a, b, c) = (Coefficients(q => q.A), Coefficients(q => q.B), Coefficients(q => q.C));
        dim = tensor(data.SelectMany(q => q.Dim.Select(i => (long)i)).ToArray(), [runs.Count, n], device: device).DetachFromDisposeScope();
    }

    static QuadraticProblem Of(Experiment x) => (QuadraticProblem)x.Problem;

    public Tensor InitialTheta() =>
        tensor(runs.Select(x => Of(x).X0).ToArray(), [runs.Count, 1], dtype: type, device: device)
            .expand(runs.Count, runs[0].Problem.Parameters).contiguous();

    public Tensor? DecayMask => null;

    public Tensor? RandomState { get => null; set { } } // the quadratic problem draws nothing while it runs

    public ITensorEpoch Epoch(int[][][] batches) => EpochData.Gather(batches, a, b, c, dim);

    public Tensor FullLoss(Tensor theta) => new BatchSlice(a, b, c, dim).Loss(theta);

    public double[][] EpochValues(Tensor theta) => [];

    public void Dispose()
    {
        foreach (var t in new[] { a, b, c, dim }) t.Dispose();
    }
}

/// <summary>
/// The quadratic problem's coefficients of every run of a batch ([R, N]) gathered into each run's visiting
/// order for one epoch, so that step k's batches are one contiguous column slice (a view, no copy) and a step
/// needs a single gather of x.
/// </summary>
sealed class EpochData : ITensorEpoch
{
    readonly Tensor a, b, c, dim;
    readonly int[] starts, sizes;

    EpochData(Tensor a, Tensor b, Tensor c, Tensor dim, int[] sizes)
    {
        (this.a, this.b, this.c, this.dim, this.sizes) = (a, b, c, dim, sizes);
        starts = new int[sizes.Length];
        for (int k = 1; k < sizes.Length; k++) starts[k] = starts[k - 1] + sizes[k - 1];
    }

    /// <summary><paramref name="batches"/>[r][k] lists the functions of run r's k-th batch; every run has the same batch sizes.</summary>
    public static EpochData Gather(int[][][] batches, Tensor a, Tensor b, Tensor c, Tensor dim)
    {
        var flat = batches.SelectMany(run => run.SelectMany(batch => batch.Select(i => (long)i))).ToArray();
        var order = tensor(flat, [batches.Length, flat.Length / batches.Length], device: a.device);
        return new EpochData(a.gather(1, order), b.gather(1, order), c.gather(1, order), dim.gather(1, order),
            batches[0].Select(batch => batch.Length).ToArray());
    }

    public int Count => sizes.Length;

    public ITensorBatchLoss Batch(int k) => new BatchSlice(
        a.narrow(1, starts[k], sizes[k]), b.narrow(1, starts[k], sizes[k]),
        c.narrow(1, starts[k], sizes[k]), dim.narrow(1, starts[k], sizes[k]));

    public double[][] EveryBatchLoss(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var losses = new BatchSlice(a, b, c, dim).FunctionLosses(theta).to_type(ScalarType.Float64).cpu();
        var perFunction = losses.data<double>().ToArray();
        int n = (int)losses.shape[1];
        return Enumerable.Range(0, (int)losses.shape[0]).Select(r =>
            sizes.Select((size, k) => perFunction.AsSpan(r * n + starts[k], size).ToArray().Average()).ToArray()).ToArray();
    }
}

/// <summary>One batch of functions per run ([R, S]): each run's batch loss (the mean of its f_i) and gradient at theta [R, D].</summary>
sealed class BatchSlice(Tensor a, Tensor b, Tensor c, Tensor dim) : ITensorBatchLoss
{
    // TorchSharp's default alpha / value arguments are Scalar temporaries too: every one is passed explicitly
    // from a Scalars holder (see Scalars).
    public Tensor FunctionLosses(Tensor theta) => LossesOf(Residual(theta));

    /// <summary>Each run's batch loss, [R].</summary>
    public Tensor Loss(Tensor theta) => FunctionLosses(theta).mean([1]);

    /// <summary>Each run's batch loss [R] and gradient [R, D]: grad[r, d_i] += 2 a_i (x[r, d_i] - c_i) / |batch|.</summary>
    public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, bool training = true)
    {
        using var k = new Scalars();
        var r = Residual(theta);
        var grad = zeros_like(theta).scatter_add_(1, dim, a.mul(r).mul_(k[2.0 / dim.shape[1]]));
        return (LossesOf(r).mean([1]), grad);
    }

    /// <summary>x[r, d_i] - c_i for every function of every run's batch.</summary>
    Tensor Residual(Tensor theta) => theta.gather(1, dim).sub_(c);

    Tensor LossesOf(Tensor residual)
    {
        using var k = new Scalars();
        return a.mul(residual).mul_(residual).add_(b, alpha: k[1]);
    }
}
