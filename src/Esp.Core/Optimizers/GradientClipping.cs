using static TorchSharp.torch;

namespace Esp;

/// <summary>torch.nn.utils.clip_grad_norm_ over each run's whole gradient: g * min(1, maxNorm / (||g|| + 1e-6)).</summary>
static class GradientClipping
{
    /// <param name="grad">[R, D] (a run per row) or one run's [D].</param>
    /// <param name="maxNorm">each run's bound, shaped to broadcast against a row ([R, 1], or [1]).</param>
    public static Tensor ClipNorm(Tensor grad, Tensor maxNorm)
    {
        using var k = new Scalars();
        var norm = grad.dim() == 1 ? L2Norm.Of(grad).reshape(1) : L2Norm.Of(grad, dims: [1], keepdim: true);
        var coefficient = maxNorm.div(norm.add_(k[1e-6], alpha: k[1])).clamp_max_(k[1]);
        return grad.mul(coefficient);
    }
}
