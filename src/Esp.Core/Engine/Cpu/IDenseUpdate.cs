using System.Numerics;

namespace Esp;

/// <summary>
/// One optimizer's update of every coordinate, applied a vector of coordinates at a time inside the fused
/// pass (<see cref="DensePass"/>). Implementations are structs so that the JIT specialises the pass for each
/// optimizer and inlines <see cref="Delta"/>. Each mirrors, operation for operation, the TorchSharp state of
/// the same optimizer (Esp.Adam, Esp.RmsProp, Esp.Sgd), so both backends round the same way.
/// </summary>
interface IDenseUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Sets the coefficients of update number <paramref name="step"/> (1-based) at learning rate <paramref name="lr"/>.</summary>
    void Prepare(double lr, int step);

    /// <summary>Advances the state at coordinates [j, j + W) for gradient g at parameters x and returns dtheta there.</summary>
    Vector<T> Delta(int j, Vector<T> g, Vector<T> x);

    /// <summary>The first moment (momentum buffer), or null for an optimizer without one.</summary>
    T[]? M { get; }

    /// <summary>The second moment, or null for an optimizer without one.</summary>
    T[]? V { get; }

    /// <summary>Every array the update keeps between steps (what a checkpoint saves; empty ones for unused options).</summary>
    IReadOnlyList<T[]> State { get; }
}

/// <summary>A fused CPU run waiting for its optimizer's update (<see cref="Optimizer.RunFused{T}"/>): the optimizer
/// builds its <see cref="IDenseUpdate{T}"/> for arrays of <see cref="Length"/> and trains with it.</summary>
interface IFusedTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>D rounded up to whole vectors: the length of every dense array.</summary>
    int Length { get; }

    RunRecord Train<TUpdate>(TUpdate update) where TUpdate : struct, IDenseUpdate<T>;
}
