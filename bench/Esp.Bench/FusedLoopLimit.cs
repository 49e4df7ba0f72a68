using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// The machine's limit for one run, as a yardstick: the least code that does the paper's run (shuffled Adam,
/// N = D = 10 000, batch 100, 10 epochs, float64): per step a 100-element gather/scatter and ONE fused
/// Vector&lt;double&gt; pass over x, m and v, with the same arithmetic as the engine (two divisions and a
/// square root per coordinate). No probes, schedules, records or abstractions.
/// </summary>
static class FusedLoopLimit
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the engine's loops: optimised at once, not after tiering
    public static double[] Run(int seed)
    {
        const int n = 10_000, d = 10_000, batch = 100, epochs = 10;
        const double lr = 0.06, beta1 = 0.9, beta2 = 0.8, eps = 1e-8;
        var random = new Random(seed);
        double[] a = Draw(0.5, 1), b = Draw(0.5, 1), c = Draw(-1, 1);
        var dim = Enumerable.Range(0, n).Select(_ => random.Next(d)).ToArray();
        double[] x = Enumerable.Repeat(3.0, d).ToArray(), m = new double[d], v = new double[d], g = new double[d];
        var order = Enumerable.Range(0, n).ToArray();
        var losses = new double[epochs * n / batch];
        int w = Vector<double>.Count, t = 0;
        var (b1, nb1, b2, nb2, e) = (new Vector<double>(beta1), new Vector<double>(1 - beta1),
            new Vector<double>(beta2), new Vector<double>(1 - beta2), new Vector<double>(eps));
        ref double X = ref MemoryMarshal.GetArrayDataReference(x), M = ref MemoryMarshal.GetArrayDataReference(m),
            V = ref MemoryMarshal.GetArrayDataReference(v), G = ref MemoryMarshal.GetArrayDataReference(g);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < n; start += batch, t++)
            {
                double sum = 0;
                foreach (int i in order.AsSpan(start, batch))
                {
                    double r = x[dim[i]] - c[i], ar = a[i] * r;
                    sum += ar * r + b[i];
                    g[dim[i]] += 2.0 / batch * ar;
                }
                losses[t] = sum / batch;
                var c2 = new Vector<double>(1 - Math.Pow(beta2, t + 1));
                var scale = new Vector<double>(-lr / (1 - Math.Pow(beta1, t + 1)));
                for (nuint j = 0; j < d; j += (nuint)w)
                {
                    var gj = Vector.LoadUnsafe(ref G, j);
                    var mj = Vector.LoadUnsafe(ref M, j) * b1 + nb1 * gj;
                    var vj = Vector.LoadUnsafe(ref V, j) * b2 + nb2 * gj * gj;
                    mj.StoreUnsafe(ref M, j);
                    vj.StoreUnsafe(ref V, j);
                    (Vector.LoadUnsafe(ref X, j) + mj / (Vector.SquareRoot(vj / c2) + e) * scale).StoreUnsafe(ref X, j);
                }
                foreach (int i in order.AsSpan(start, batch)) g[dim[i]] = 0;
            }
        }
        return losses;

        double[] Draw(double lo, double hi) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
    }
}
