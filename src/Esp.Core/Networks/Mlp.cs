using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A multilayer perceptron: Inputs -> Hidden[0] -> ... -> Outputs, the activation after every hidden layer and
/// dropout (probability Dropout, 0 = none) after each activation. Layers are named layer0, layer1, ...
/// </summary>
public sealed record Mlp(int Inputs, ValueList<int> Hidden, int Outputs, Activation Activation = Activation.Relu, double Dropout = 0)
    : Model
{
    public override int Inputs { get; } = Inputs;
    public override int Outputs { get; } = Outputs;

    public override string Label =>
        $"mlp {string.Join("-", Hidden.Prepend(Inputs).Append(Outputs))} {Activation.Name()}{(Dropout > 0 ? $" dropout {Require.Show(Dropout)}" : "")}";

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("model_kind", "mlp"), ("layers", string.Join("-", Widths)), ("activation", Activation.Name()), ("dropout", Dropout)];

    IReadOnlyList<int> Widths => Hidden.Prepend(Inputs).Append(Outputs).ToList();

    public override ParamLayout Layout =>
        ParamLayout.Of(Enumerable.Range(0, Widths.Count - 1).SelectMany(l => Linear($"layer{l}", Widths[l], Widths[l + 1])));

    public override IEnumerable<string> Errors()
    {
        if (Inputs < 1) yield return $"Mlp.Inputs must be >= 1, got {Inputs}: use the number of features per example, e.g. 784";
        if (Outputs < 2) yield return $"Mlp.Outputs must be >= 2 (classes), got {Outputs}: use the number of classes, e.g. 10";
        foreach (var h in Hidden.Where(h => h < 1))
            yield return $"Mlp.Hidden widths must be >= 1, got {h} in {Hidden}: use e.g. [256, 128]";
        foreach (var e in Require.InRange("Mlp.Dropout", Dropout, 0, 1, false, "use 0 (none) or e.g. 0.1")) yield return e;
        if (!Enum.IsDefined(Activation)) yield return $"Mlp.Activation must be Relu, Tanh or Gelu, got {(int)Activation}";
    }

    /// <summary>Per hidden layer its linear output and activation (and with dropout the mask and the product); then
    /// the logits and the loss's log-probabilities.</summary>
    internal override ActivationCount Activations(bool training) => ActivationCount.Of(Inputs,
        Hidden.SelectMany(h => Enumerable.Repeat((long)h, training && Dropout > 0 ? 4 : 2)).Concat([Outputs, Outputs]));

    internal override Tensor Forward(Func<string, Tensor> weight, Tensor x, Dropout? dropout)
    {
        int last = Widths.Count - 2;
        for (int l = 0; l <= last; l++)
        {
            x = Linear(weight, $"layer{l}", x);
            if (l == last) break;
            x = Activation.Apply(x);
            if (dropout is not null) x = dropout.Apply(x, Dropout);
        }
        return x;
    }
}
