using System.Runtime.CompilerServices;
using System.Numerics;
using static Esp.Lanes;

namespace Esp;

/// <summary>RMSProp in the fused pass: the same operations, in the same order, as Esp's RmsProp state.</summary>
struct RmsPropUpdate<T> : IDenseUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] v, gradMean, buffer;
    readonly bool decays, centered, momentum;
    readonly Vector<T> beta, oneMinusBeta, eps, weightDecay, momentumFactor;
    Vector<T> scale;

    public RmsPropUpdate(RmsProp d, int length)
    {
        (decays, centered, momentum) = (d.WeightDecay != 0, d.Centered, d.Momentum > 0);
        v = new T[length];
        gradMean = centered ? new T[length] : [];
        buffer = momentum ? new T[length] : [];
        (beta, oneMinusBeta, eps) = (Of<T>(d.Beta), Of<T>(1 - d.Beta), Of<T>(d.Eps));
        (weightDecay, momentumFactor) = (Of<T>(d.WeightDecay), Of<T>(d.Momentum));
    }

    public readonly T[]? M => momentum ? buffer : null;
    public readonly IReadOnlyList<T[]> State => [v, gradMean, buffer];
    public readonly T[]? V => v;

    public void Prepare(double lr, int step) => scale = Of<T>(-lr);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vector<T> Delta(int j, Vector<T> g, Vector<T> x)
    {
        if (decays) g += weightDecay * x;
        var vj = Load(v, j) * beta + oneMinusBeta * g * g;
        vj.Store(v, j);
        Vector<T> denominator;
        if (centered)
        {
            var mean = Load(gradMean, j) * beta + oneMinusBeta * g;
            mean.Store(gradMean, j);
            denominator = Vector.SquareRoot(vj - mean * mean) + eps;
        }
        else denominator = Vector.SquareRoot(vj) + eps;
        if (!momentum) return g / denominator * scale;
        var b = Load(buffer, j) * momentumFactor + g / denominator;
        b.Store(buffer, j);
        return b * scale;
    }
}
