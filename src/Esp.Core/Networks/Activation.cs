using static TorchSharp.torch;

namespace Esp;

/// <summary>The nonlinearity between a network's layers.</summary>
public enum Activation { Relu, Tanh, Gelu }

static class Activations
{
    public static Tensor Apply(this Activation a, Tensor x) => a switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => x.tanh(),
        Activation.Gelu => nn.functional.gelu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "unknown activation"),
    };

    public static string Name(this Activation a) => a.ToString().ToLowerInvariant();
}
