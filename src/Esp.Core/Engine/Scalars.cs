using TorchSharp;

namespace Esp;

/// <summary>
/// Keeps the TorchSharp Scalars of one step alive until the step ends, then frees them. An implicit
/// double -> Scalar conversion leaves a temporary that nothing references once its handle is passed on, so the
/// GC may finalize it while libtorch still reads it (seen as a rare "toDouble" failure in a 100 000-step run).
/// Usage: <c>using var k = new Scalars(); m.mul_(k[beta1]);</c>
/// </summary>
public sealed class Scalars : IDisposable
{
    readonly List<Scalar> held = [];

    public Scalar this[double value]
    {
        get
        {
            var scalar = value.ToScalar();
            held.Add(scalar);
            return scalar;
        }
    }

    public void Dispose()
    {
        foreach (var s in held) s.Dispose();
        held.Clear();
    }
}
