using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Esp;

/// <summary>
/// SIMD access for the fused CPU loops. Arrays of the dense pass are allocated with a length rounded up to a
/// whole number of vectors (<see cref="Padded"/>), so every load and store is a full vector and needs no
/// bounds check; the padding coordinates hold zeros and never enter a loss.
/// </summary>
static class Lanes
{
    public static int Padded<T>(int length) => (length + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(T[] array, int j) =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)j);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(this Vector<T> value, T[] array, int j) =>
        value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)j);

    public static Vector<T> Of<T>(double value) where T : INumberBase<T> => new(T.CreateChecked(value));
}
