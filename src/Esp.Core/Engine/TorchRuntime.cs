using TorchSharp;

namespace Esp;

/// <summary>The engine's view of TorchSharp: devices and element types.</summary>
public static class TorchRuntime
{
    public static bool CudaAvailable => torch.cuda.is_available();

    internal static torch.Device DeviceOf(string device) => new(device);

    internal static torch.ScalarType TypeOf(Precision p) =>
        p == Precision.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
}
