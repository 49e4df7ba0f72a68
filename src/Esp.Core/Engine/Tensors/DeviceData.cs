using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A dataset's arrays as device tensors, made once per process and shared (read only) by every run that trains on
/// the same arrays: copying Fashion-MNIST into a tensor takes longer than a hundred training steps of its MLP. The
/// tensors live as long as the arrays (Fashion-MNIST's are cached for the process), not as long as a run.
/// </summary>
static class DeviceData
{
    static readonly ConditionalWeakTable<Array, ConcurrentDictionary<(string, ScalarType), Lazy<Tensor>>> tensors = new();

    /// <summary>Row-major <paramref name="values"/> as [rows, columns] of <paramref name="type"/> on <paramref name="device"/>.</summary>
    public static Tensor Of(float[] values, long rows, long columns, Device device, ScalarType type) =>
        For(values, device, type, () => tensor(values, [rows, columns], device: device).to_type(type));

    public static Tensor Of(long[] labels, Device device) =>
        For(labels, device, ScalarType.Int64, () => tensor(labels, device: device));

    static Tensor For(Array values, Device device, ScalarType type, Func<Tensor> make) =>
        tensors.GetOrCreateValue(values).GetOrAdd((device.ToString(), type), _ => new Lazy<Tensor>(() =>
        {
            using var scope = NewDisposeScope();
            return make().DetachFromDisposeScope();
        })).Value; // Lazy: two runs starting together make the tensor once
}
