using System.Runtime.CompilerServices;
using System.Numerics;

namespace Esp;

/// <summary>
/// The quadratic problem's coefficients in the run's precision, for the fused CPU loops:
/// f_i(x) = a_i (x[d_i] - c_i)^2 + b_i, evaluated as TorchSharp's BatchSlice evaluates it.
/// </summary>
sealed class CpuProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] a, b, c;
    readonly int[] dim;

    public CpuProblem(QuadraticData data)
    {
        static T[] Cast(double[] values) => values.Select(T.CreateChecked).ToArray();
        (a, b, c, dim) = (Cast(data.A), Cast(data.B), Cast(data.C), data.Dim);
    }

    /// <summary>The batch's loss (mean of f_i) at theta; adds its gradient, 2 a_i (x[d_i] - c_i) / |batch| at d_i, into grad.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T LossAndGrad(int[] batch, T[] theta, T[] grad)
    {
        T scale = T.CreateChecked(2.0 / batch.Length), sum = T.Zero;
        foreach (int i in batch)
        {
            int d = dim[i];
            T r = theta[d] - c[i], ar = a[i] * r;
            sum += ar * r + b[i];
            grad[d] += scale * ar;
        }
        return sum / T.CreateChecked(batch.Length);
    }

    public T Loss(int[] batch, T[] theta)
    {
        T sum = T.Zero;
        foreach (int i in batch) sum += FunctionLoss(i, theta);
        return sum / T.CreateChecked(batch.Length);
    }

    /// <summary>Zeroes the gradient entries a batch touched (cheaper than clearing all D of them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Clear(int[] batch, T[] grad)
    {
        foreach (int i in batch) grad[dim[i]] = T.Zero;
    }

    /// <summary>The loss over all N functions (Probes.EpochEndFullLoss).</summary>
    public double FullLoss(T[] theta)
    {
        T sum = T.Zero;
        for (int i = 0; i < a.Length; i++) sum += FunctionLoss(i, theta);
        return double.CreateChecked(sum / T.CreateChecked(a.Length));
    }

    /// <summary>The loss of every batch at theta, in visiting order (Probes.BatchLossesAtEpochStart).</summary>
    public IEnumerable<double> BatchLosses(int[][] batches, T[] theta) =>
        batches.Select(batch => batch.Average(i => double.CreateChecked(FunctionLoss(i, theta)))).ToArray();

    T FunctionLoss(int i, T[] theta)
    {
        T r = theta[dim[i]] - c[i];
        return a[i] * r * r + b[i];
    }
}
