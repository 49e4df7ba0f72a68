using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// LeNet-5 for 28x28 single-channel images (as usually adapted to MNIST-like data): conv 5x5 (6 channels,
/// padding 2) -> activation -> max-pool 2 -> conv 5x5 (16) -> activation -> max-pool 2 -> 400 -> 120 -> 84 -> Classes,
/// with the activation after each hidden fully connected layer and dropout after it (Dropout, 0 = none).
/// </summary>
public sealed record LeNet(int Classes = 10, Activation Activation = Activation.Relu, double Dropout = 0) : Model
{
    public override int Inputs => 28 * 28;
    public override int Outputs => Classes;

    public override string Label => $"lenet {Activation.Name()}{(Dropout > 0 ? $" dropout {Require.Show(Dropout)}" : "")}";

    /// <summary>layers: the convolutions' channels, then the fully connected widths.</summary>
    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("model_kind", "lenet"), ("layers", $"c6-c16-120-84-{Classes}"), ("activation", Activation.Name()), ("dropout", Dropout)];

    public override ParamLayout Layout => ParamLayout.Of([
        ("conv1.weight", [6, 1, 5, 5], ParamInit.Uniform, 25, true), ("conv1.bias", [6], ParamInit.Uniform, 25, false),
        ("conv2.weight", [16, 6, 5, 5], ParamInit.Uniform, 150, true), ("conv2.bias", [16], ParamInit.Uniform, 150, false),
        .. Linear("fc1", 400, 120), .. Linear("fc2", 120, 84), .. Linear("fc3", 84, Classes)]);

    public override IEnumerable<string> Errors()
    {
        if (Classes < 2) yield return $"LeNet.Classes must be >= 2, got {Classes}: use the number of classes, e.g. 10";
        foreach (var e in Require.InRange("LeNet.Dropout", Dropout, 0, 1, false, "use 0 (none) or e.g. 0.1")) yield return e;
        if (!Enum.IsDefined(Activation)) yield return $"LeNet.Activation must be Relu, Tanh or Gelu, got {(int)Activation}";
    }

    /// <summary>Each convolution's output and activation, each max-pool's output and its int64 indices (two float32
    /// numbers each), each hidden layer's output and activation (and with dropout the mask and the product), the
    /// logits and the loss's log-probabilities.</summary>
    internal override ActivationCount Activations(bool training)
    {
        int perHidden = training && Dropout > 0 ? 4 : 2;
        return ActivationCount.Of(Inputs, [6 * 28 * 28, 6 * 28 * 28, 6 * 14 * 14, 2 * 6 * 14 * 14, 16 * 10 * 10, 16 * 10 * 10, 16 * 5 * 5, 2 * 16 * 5 * 5,
            .. Enumerable.Repeat(120L, perHidden), .. Enumerable.Repeat(84L, perHidden), Classes, Classes]);
    }

    internal override Tensor Forward(Func<string, Tensor> weight, Tensor x, Dropout? dropout)
    {
        Tensor Conv(string name, Tensor input, long padding) => nn.functional.conv2d(input,
            weight($"{name}.weight"), weight($"{name}.bias"), padding: [padding, padding]);
        Tensor Hidden(string name, Tensor input)
        {
            var h = Activation.Apply(Linear(weight, name, input));
            return dropout is null ? h : dropout.Apply(h, Dropout);
        }
        var h = nn.functional.max_pool2d(Activation.Apply(Conv("conv1", x.view(-1, 1, 28, 28), 2)), 2);
        h = nn.functional.max_pool2d(Activation.Apply(Conv("conv2", h, 0)), 2).flatten(1);
        return Linear(weight, "fc3", Hidden("fc2", Hidden("fc1", h)));
    }
}
