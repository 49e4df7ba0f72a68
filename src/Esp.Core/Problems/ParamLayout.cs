using static TorchSharp.torch;

namespace Esp;

/// <summary>How a segment of theta starts: PyTorch's default for Linear and Conv layers, U(-1/sqrt(fan_in), 1/sqrt(fan_in))
/// for weights and biases alike; constant ones / zeros (norm layers); or N(0, 1) (PyTorch's default for embeddings).</summary>
public enum ParamInit { Uniform, Ones, Zeros, Normal }

/// <summary>
/// One named tensor of a model as a slice of theta: Shape, at Offset. FanIn sets the uniform bound; Decay says
/// whether weight decay applies when the problem decays weights only (false for biases and norm parameters).
/// </summary>
public sealed record ParamSegment(string Name, ValueList<long> Shape, long Offset, ParamInit Init, long FanIn, bool Decay)
{
    public long Size => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The named segments of a run's flat parameter vector theta, in order and without gaps. A model reads its
/// weights as views of theta (no copies), so autograd fills one gradient of theta's shape and every optimizer,
/// norm and dot product sees one vector.
/// </summary>
public sealed record ParamLayout(ValueList<ParamSegment> Segments)
{
    /// <summary>The number of parameters, counted in 64 bits.</summary>
    public long Count => Segments.Sum(s => s.Size);

    /// <summary>The length of theta; a model over <see cref="MaxParameters"/> is refused before this is read (<see cref="CountErrors"/>).</summary>
    public int D => checked((int)Count);

    /// <summary>The most parameters one run can have: theta is indexed with 32-bit ints (TorchSharp's narrow and the
    /// fused loops), so a larger count would wrap.</summary>
    public const long MaxParameters = int.MaxValue;

    /// <summary>Refuses a layout with more parameters than one run can hold, with the true count.</summary>
    public IEnumerable<string> CountErrors(string model)
    {
        if (Count > MaxParameters)
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{model} has {Count:N0} parameters, over the {MaxParameters:N0} one run can hold: use smaller layers");
    }

    /// <summary>Builds a layout from (name, shape, init, fan-in, decay) in order, computing the offsets.</summary>
    public static ParamLayout Of(IEnumerable<(string Name, long[] Shape, ParamInit Init, long FanIn, bool Decay)> parts)
    {
        long offset = 0;
        var segments = new List<ParamSegment>();
        foreach (var (name, shape, init, fanIn, decay) in parts)
        {
            var segment = new ParamSegment(name, shape, offset, init, fanIn, decay);
            segments.Add(segment);
            offset += segment.Size;
        }
        return new ParamLayout(segments.ToArray());
    }

    public ParamSegment this[string name] => Segments.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"the layout has no segment \"{name}\"; it has: {string.Join(", ", Segments.Select(s => s.Name))}");

    /// <summary>The segment <paramref name="name"/> of one run's theta [D] as a view shaped like the segment.</summary>
    public Tensor View(Tensor theta, string name)
    {
        var s = this[name];
        return theta.narrow(0, s.Offset, s.Size).view(s.Shape.ToArray());
    }

    /// <summary>
    /// <paramref name="loss"/> of one run's parameters <paramref name="theta"/> [D] (given to it by segment name) and its
    /// gradient [1, D]. Autograd differentiates with respect to one leaf per segment, each a view of theta's storage,
    /// and the gradients are concatenated (one copy of D numbers; a single leaf for all of theta would make autograd
    /// zero-fill and add a [D] tensor per segment). Returns the loss detached, as [1].
    /// </summary>
    internal (Tensor Loss, Tensor Grad) LossAndGrad(Tensor theta, Func<Func<string, Tensor>, Tensor> loss)
    {
        var parameters = theta.detach(); // shares theta's storage: no copy
        var leaves = Segments.ToDictionary(s => s.Name, s => parameters.narrow(0, s.Offset, s.Size).view(s.Shape.ToArray()).requires_grad_(true));
        var value = loss(name => leaves[name]);
        value.backward();
        var grad = cat(Segments.Select(s => leaves[s.Name].grad!.flatten()).ToArray(), 0);
        return (value.detach().reshape(1), grad.unsqueeze(0));
    }

    /// <summary>1 where <paramref name="keep"/> holds for the segment, 0 elsewhere, [D] (e.g. weight decay on weights only).</summary>
    public double[] Mask(Func<ParamSegment, bool> keep) =>
        Segments.SelectMany(s => Enumerable.Repeat(keep(s) ? 1.0 : 0.0, (int)s.Size)).ToArray();

    /// <summary>A fresh theta [D] drawn as PyTorch initialises each segment, from <paramref name="rng"/>.</summary>
    public double[] Initial(Rng rng)
    {
        var theta = new double[D];
        foreach (var s in Segments)
        {
            double bound = 1 / Math.Sqrt(s.FanIn);
            for (long i = s.Offset; i < s.Offset + s.Size; i++)
                theta[i] = s.Init switch
                {
                    ParamInit.Uniform => rng.Uniform(-bound, bound),
                    ParamInit.Ones => 1,
                    ParamInit.Normal => rng.Normal(),
                    _ => 0,
                };
        }
        return theta;
    }
}
