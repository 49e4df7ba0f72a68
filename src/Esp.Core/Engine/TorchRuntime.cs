using TorchSharp;

namespace Esp;

/// <summary>The engine's view of TorchSharp: devices and element types, and whether libtorch was needed at all
/// (loading it takes about 0.3 s, which a script of fused CPU runs never pays).</summary>
public static class TorchRuntime
{
    static volatile bool loaded;

    public static bool CudaAvailable => (loaded = true) && torch.cuda.is_available();

    /// <summary>Whether anything here has used libtorch in this process.</summary>
    public static bool Loaded => loaded;

    internal static torch.Device DeviceOf(string device)
    {
        loaded = true;
        return new(device);
    }

    internal static torch.ScalarType TypeOf(Precision p) =>
        p == Precision.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
}
