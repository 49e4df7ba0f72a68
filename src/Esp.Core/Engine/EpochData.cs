using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// The quadratic problem's coefficients gathered into one epoch's visiting order, so that each batch
/// is a contiguous slice (a view, no copy) and a step needs a single gather of x.
/// </summary>
sealed class EpochData
{
    readonly Tensor a, b, c, dim;
    readonly int[] starts, sizes;

    EpochData(Tensor a, Tensor b, Tensor c, Tensor dim, int[] sizes)
    {
        (this.a, this.b, this.c, this.dim, this.sizes) = (a, b, c, dim, sizes);
        starts = new int[sizes.Length];
        for (int k = 1; k < sizes.Length; k++) starts[k] = starts[k - 1] + sizes[k - 1];
    }

    public static EpochData Gather(int[][] batches, Tensor a, Tensor b, Tensor c, Tensor dim)
    {
        var order = tensor(batches.SelectMany(batch => batch.Select(i => (long)i)).ToArray(), device: a.device);
        return new EpochData(a.index_select(0, order), b.index_select(0, order), c.index_select(0, order),
            dim.index_select(0, order), batches.Select(batch => batch.Length).ToArray());
    }

    public BatchSlice Batch(int k) => new(
        a.narrow(0, starts[k], sizes[k]), b.narrow(0, starts[k], sizes[k]),
        c.narrow(0, starts[k], sizes[k]), dim.narrow(0, starts[k], sizes[k]));

    /// <summary>The loss of every batch of the epoch at theta, in visiting order (paper figure 10b).</summary>
    public double[] EveryBatchLoss(Tensor theta)
    {
        using var scope = NewDisposeScope();
        var perFunction = FunctionLosses(theta).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        return sizes.Select((size, k) => perFunction.AsSpan(starts[k], size).ToArray().Average()).ToArray();
    }

    Tensor FunctionLosses(Tensor theta) => new BatchSlice(a, b, c, dim).FunctionLosses(theta);
}

/// <summary>One batch of functions: its loss (the mean of f_i) and gradient at theta.</summary>
sealed class BatchSlice(Tensor a, Tensor b, Tensor c, Tensor dim)
{
    // TorchSharp's default alpha / value arguments are Scalar temporaries too: every one is passed explicitly
    // from a Scalars holder (see Scalars).
    public Tensor FunctionLosses(Tensor theta) => LossesOf(Residual(theta));

    public Tensor Loss(Tensor theta) => FunctionLosses(theta).mean();

    /// <summary>The batch loss and its gradient: grad[d_i] += 2 a_i (x[d_i] - c_i) / |batch|.</summary>
    public (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta)
    {
        using var k = new Scalars();
        var r = Residual(theta);
        var grad = zeros_like(theta).index_add_(0, dim, a.mul(r), alpha: k[2.0 / dim.shape[0]]);
        return (LossesOf(r).mean(), grad);
    }

    /// <summary>x[d_i] - c_i for every function of the batch.</summary>
    Tensor Residual(Tensor theta) => theta.index_select(0, dim).sub_(c);

    Tensor LossesOf(Tensor residual)
    {
        using var k = new Scalars();
        return a.mul(residual).mul_(residual).add_(b, alpha: k[1]);
    }
}
