using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A network architecture as an immutable description. Its parameters are the named segments of one flat
/// vector (<see cref="Layout"/>); <see cref="Forward"/> computes the logits of a batch from views of that vector,
/// so a run's whole gradient is one tensor. Initialisation is PyTorch's default (see <see cref="ParamInit"/>).
/// </summary>
public abstract record Model
{
    /// <summary>How results name the model, e.g. "mlp 784-256-128-10 relu".</summary>
    public abstract string Label { get; }

    /// <summary>Its hyperparameters as result columns of their own (model_kind, then e.g. layers, activation, dropout),
    /// so that results group and pivot on them rather than on a parse of <see cref="Label"/>.</summary>
    public abstract IEnumerable<(string Column, object Value)> Settings();

    /// <summary>Numbers per example the model reads (784 for a 28x28 image).</summary>
    public abstract int Inputs { get; }

    /// <summary>Classes it scores (the logits per example).</summary>
    public abstract int Outputs { get; }

    public abstract ParamLayout Layout { get; }

    public abstract IEnumerable<string> Errors();

    /// <summary>What one example's forward pass leaves in memory (<paramref name="training"/>: with dropout's masks),
    /// the loss's log-probabilities included, for the memory estimate.</summary>
    internal abstract ActivationCount Activations(bool training);

    /// <summary>Refuses a model with more parameters than one run can hold (checked before anything reads the layout's
    /// 32-bit length); a malformed model has no meaningful count.</summary>
    internal IEnumerable<string> CountErrors() => Errors().Any() ? [] : Layout.CountErrors(Label);

    /// <summary>The logits [B, Outputs] of <paramref name="x"/> [B, Inputs] with one run's parameters: <paramref name="weight"/>
    /// gives each segment of the layout by name, shaped as the segment (views of theta); <paramref name="dropout"/> null:
    /// evaluation (no dropout).</summary>
    internal abstract Tensor Forward(Func<string, Tensor> weight, Tensor x, Dropout? dropout);

    /// <summary>A fully connected layer's two segments: weight [out, in] (decayed) and bias [out] (not), both U(+-1/sqrt(in)).</summary>
    public static IEnumerable<(string Name, long[] Shape, ParamInit Init, long FanIn, bool Decay)> Linear(string name, long inputs, long outputs) =>
        [($"{name}.weight", [outputs, inputs], ParamInit.Uniform, inputs, true), ($"{name}.bias", [outputs], ParamInit.Uniform, inputs, false)];

    /// <summary>The fully connected layer <paramref name="name"/> applied to <paramref name="x"/>: x W^T + b.</summary>
    public static Tensor Linear(Func<string, Tensor> weight, string name, Tensor x) =>
        nn.functional.linear(x, weight($"{name}.weight"), weight($"{name}.bias"));
}
