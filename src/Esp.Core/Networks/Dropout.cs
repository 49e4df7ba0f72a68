using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Dropout drawn from one run's own generator (seeded from the run's seed), so that the same description and
/// seed give the same masks whatever else runs in the process: x * (u >= p) / (1 - p), u ~ U[0, 1).
/// </summary>
sealed class Dropout(Generator generator)
{
    public Generator Generator => generator;

    public Tensor Apply(Tensor x, double p)
    {
        if (p == 0) return x;
        var keep = rand(x.shape, dtype: x.dtype, device: x.device, generator: generator).ge_(p);
        using var scale = new Scalars();
        return x.mul(keep).mul_(scale[1 / (1 - p)]);
    }
}
