using System.Runtime.CompilerServices;
using System.Numerics;
using static Esp.Lanes;

namespace Esp;

/// <summary>Adam / AdamW in the fused pass: the same operations, in the same order, as Esp's AdamState.</summary>
struct AdamUpdate<T> : IDenseUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] m, v;
    readonly Adam d;
    readonly bool decoupled, decays;
    readonly Vector<T> beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay;
    Vector<T> c2, scale, decay;

    public AdamUpdate(Adam d, bool decoupled, int length)
    {
        (this.d, this.decoupled, decays) = (d, decoupled, d.WeightDecay != 0);
        (m, v) = (new T[length], new T[length]);
        (beta1, oneMinusBeta1) = (Of<T>(d.Beta1), Of<T>(1 - d.Beta1));
        (beta2, oneMinusBeta2) = (Of<T>(d.Beta2), Of<T>(1 - d.Beta2));
        (eps, weightDecay) = (Of<T>(d.Eps), Of<T>(d.WeightDecay));
    }

    public readonly T[]? M => m;
    public readonly IReadOnlyList<T[]> State => [m, v];
    public readonly T[]? V => v;

    public void Prepare(double lr, int step)
    {
        double c1 = d.BiasCorrection ? 1 - Math.Pow(d.Beta1, step) : 1;
        c2 = Of<T>(d.BiasCorrection ? 1 - Math.Pow(d.Beta2, step) : 1);
        scale = Of<T>(-lr / c1);
        decay = Of<T>(-lr * d.WeightDecay);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vector<T> Delta(int j, Vector<T> g, Vector<T> x)
    {
        if (decays && !decoupled) g += weightDecay * x;
        var mj = Load(m, j) * beta1 + oneMinusBeta1 * g;
        var vj = Load(v, j) * beta2 + oneMinusBeta2 * g * g;
        mj.Store(m, j);
        vj.Store(v, j);
        var delta = mj / (Vector.SquareRoot(vj / c2) + eps) * scale;
        return decays && decoupled ? delta + decay * x : delta;
    }
}
