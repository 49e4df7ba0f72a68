using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Your own problem, written in a script: N examples that a sampler orders, parameters laid out by
/// <paramref name="Layout"/> (named segments of theta), data drawn once per run from the run's seed by
/// <paramref name="Data"/> (coefficients, targets, noise: tensors or arrays), and <paramref name="Loss"/>, the mean
/// loss of a batch in TorchSharp ops, from the data, one run's parameters by segment name (views of theta, shaped as
/// their segments) and the batch's example indices ([B], int64); autograd gives the gradient. Theta starts at
/// <paramref name="Start"/>(data) where given, else at the layout's initialisation drawn from the run's seed. It runs
/// on the tensor path, one run per batch, with every optimizer, sampler, schedule, probe, metric, spike rule,
/// checkpoint, shard and claim. <paramref name="Name"/> is its problem column in the results. Any randomness of the
/// loss comes from the data, so that a run's numbers depend on its description and seed alone.
/// </summary>
public sealed record CustomProblem<TData>(string Name, int N, ParamLayout Layout, Func<int, TData> Data,
    Func<TData, Func<string, Tensor>, Tensor, Tensor> Loss, Func<TData, double[]>? Start = null,
    Precision Precision = Precision.Float64) : Problem
{
    internal override int Examples => N;
    internal override int Parameters => Layout.D;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("problem", Name), ("n", N), ("d", Parameters), ("precision", Precision == Precision.Float64 ? "float64" : "float32")];

    internal override IReadOnlyList<string> DerivedSettings => ["d"];

    internal override object? BatchKey => null; // one run per batch: the loss is written for one run's theta

    internal override (string Why, string Fix)? MaskedDecay => Layout?.Segments.Any(s => !s.Decay) == true
        ? ($"CustomProblem {Name}'s layout, which keeps weight decay off {string.Join(", ", Layout.Segments.Where(s => !s.Decay).Select(s => s.Name))},",
           "mark every segment as decayed, or use one of Esp's optimizers")
        : null;

    /// <summary>Theta with its moments, gradient and the step's temporaries (about 8 D); the data's own tensors and the
    /// loss's activations are the script's and not counted.</summary>
    internal override long TensorBytesPerRun(Experiment x) => 8L * Parameters * (Precision == Precision.Float64 ? 8 : 4);

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        runs.Count == 1 ? new CustomTensors<TData>(runs[0], this, device, type)
            : throw new ArgumentException($"a custom problem runs one run per batch, got {runs.Count}");

    public override IEnumerable<string> Errors()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "CustomProblem.Name must name the problem for the results, e.g. \"noisy rosenbrock\"";
        if (N < 1) yield return $"CustomProblem.N must be >= 1 (the examples a sampler orders), got {N}: use e.g. 1000";
        if (Layout is null || Layout.Segments.Count == 0)
            yield return "CustomProblem.Layout must have at least one segment: use e.g. ParamLayout.Of([(\"x\", [10], ParamInit.Zeros, 1, true)])";
        else foreach (var e in Layout.CountErrors($"CustomProblem {Name}")) yield return e;
        if (Data is null) yield return "CustomProblem.Data must draw a run's data from its seed, e.g. seed => QuadraticData.Draw(new QuadraticProblem(), seed)";
        if (Loss is null) yield return "CustomProblem.Loss must give a batch's mean loss, e.g. (data, theta, batch) => theta(\"x\").square().sum()";
        if (!Enum.IsDefined(Precision)) yield return $"CustomProblem.Precision must be Float32 or Float64, got {(int)Precision}";
    }
}
