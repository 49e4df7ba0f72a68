using System.Runtime.CompilerServices;
using System.Numerics;
using static Esp.Lanes;

namespace Esp;

/// <summary>SGD with optional (Nesterov) momentum in the fused pass, as Esp's Sgd state and torch.optim.SGD.</summary>
struct SgdUpdate<T> : IDenseUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] buffer;
    readonly bool decays, momentum, nesterov;
    readonly Vector<T> weightDecay, momentumFactor, undamped;
    Vector<T> scale;
    bool first;

    public SgdUpdate(Sgd d, int length)
    {
        (decays, momentum, nesterov) = (d.WeightDecay != 0, d.Momentum > 0, d.Nesterov);
        buffer = momentum ? new T[length] : [];
        (weightDecay, momentumFactor, undamped) = (Of<T>(d.WeightDecay), Of<T>(d.Momentum), Of<T>(1 - d.Dampening));
    }

    public readonly T[]? M => momentum ? buffer : null;
    public readonly IReadOnlyList<T[]> State => [buffer];
    public readonly T[]? V => null;

    public void Prepare(double lr, int step) => (scale, first) = (Of<T>(-lr), step == 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Vector<T> Delta(int j, Vector<T> g, Vector<T> x)
    {
        if (decays) g += weightDecay * x;
        if (momentum)
        {
            // torch starts the buffer at the first gradient, undamped.
            var b = first ? g : Load(buffer, j) * momentumFactor + undamped * g;
            b.Store(buffer, j);
            g = nesterov ? g + momentumFactor * b : b;
        }
        return g * scale;
    }
}
