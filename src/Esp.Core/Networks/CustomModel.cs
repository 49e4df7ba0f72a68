using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Your own model, written in a script, trained on any dataset by <see cref="Network"/>: <paramref name="Layout"/> (its
/// named parameter segments, initialised as their <see cref="ParamInit"/> says; <see cref="Model.Linear(string, long, long)"/>
/// gives a fully connected layer's two), and <paramref name="Logits"/>, the logits [B, Outputs] of a batch x [B, Inputs]
/// from the parameters by segment name (views of theta) in TorchSharp ops. Its third argument applies dropout, (x, p),
/// from the run's own generator while training and as the identity while evaluating. <paramref name="ActivationsPerExample"/>
/// is the numbers one example's forward pass keeps, for the memory estimate (0: none besides the input and the logits).
/// </summary>
public sealed record CustomModel(string Name, int Inputs, int Outputs, ParamLayout Layout,
    Func<Func<string, Tensor>, Tensor, Func<Tensor, double, Tensor>, Tensor> Logits, long ActivationsPerExample = 0) : Model
{
    public override int Inputs { get; } = Inputs;
    public override int Outputs { get; } = Outputs;
    public override ParamLayout Layout { get; } = Layout;

    public override string Label => Name;

    public override IEnumerable<(string Column, object Value)> Settings() => [("model_kind", "custom")];

    public override IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "CustomModel.Name must name the model for the results, e.g. \"my mlp\"";
        if (Inputs < 1) yield return $"CustomModel.Inputs must be >= 1, got {Inputs}: use the number of features per example, e.g. 784";
        if (Outputs < 2) yield return $"CustomModel.Outputs must be >= 2 (classes), got {Outputs}: use the number of classes, e.g. 10";
        if (Layout is null || Layout.Segments.Count == 0)
            yield return "CustomModel.Layout must have at least one segment: use e.g. ParamLayout.Of(Model.Linear(\"layer0\", 784, 10))";
        if (Logits is null) yield return "CustomModel.Logits must compute a batch's logits, e.g. (w, x, dropout) => Model.Linear(w, \"layer0\", x)";
        if (ActivationsPerExample < 0) yield return $"CustomModel.ActivationsPerExample must be >= 0, got {ActivationsPerExample}: use e.g. 2 x the hidden widths";
    }

    internal override ActivationCount Activations(bool training) => ActivationCount.Of(Inputs, [ActivationsPerExample, Outputs, Outputs]);

    internal override Tensor Forward(Func<string, Tensor> weight, Tensor x, Dropout? dropout)
    {
        var logits = Logits(weight, x, dropout is null ? (t, _) => t : dropout.Apply);
        return logits.shape.SequenceEqual([x.shape[0], (long)Outputs]) ? logits
            : throw new ArgumentException($"CustomModel {Name}: Logits must give [batch, Outputs] = [{x.shape[0]}, {Outputs}], got [{string.Join(", ", logits.shape)}]");
    }
}
