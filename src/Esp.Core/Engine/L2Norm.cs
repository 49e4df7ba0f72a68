using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Euclidean norms, sqrt(sum(x^2)), from tensor operations only. TorchSharp's linalg.vector_norm turns its order (a
/// double) into a Scalar that nothing holds once its handle is passed on, so a garbage collection during the call can
/// free it while libtorch reads it: a full test run failed once with "Unknown scalar type" there, and a freed handle
/// that had been reused could as well have given another order, a wrong number without an error (see <see cref="Scalars"/>).
/// </summary>
static class L2Norm
{
    /// <summary>The norm over <paramref name="dims"/> (null: over everything).</summary>
    public static Tensor Of(Tensor x, long[]? dims = null, bool keepdim = false) =>
        (dims is null ? x.square().sum() : x.square().sum(dims, keepdim)).sqrt();
}
