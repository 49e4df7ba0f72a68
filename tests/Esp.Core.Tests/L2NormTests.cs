using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>The norms the tensor path records and clips with (L2Norm replaced linalg.vector_norm, whose order Scalar nothing held).</summary>
public sealed class L2NormTests
{
    [Fact]
    public void Norms_per_row_and_over_everything_are_the_euclidean_norm_as_libtorch_gives_it()
    {
        using var scope = NewDisposeScope();
        var values = new double[] { 3, -4, 0, 1e-200, 1e150, -2.5, 0.125, 7 };
        var x = tensor(values, [2, 4], ScalarType.Float64);
        Assert.Equal([5.0, Math.Sqrt(1e300 + 6.25)], L2Norm.Of(x, dims: [1]).data<double>().ToArray());
        Assert.Equal([2, 1], L2Norm.Of(x, dims: [1], keepdim: true).shape);
        Assert.Equal(Math.Sqrt(values.Sum(v => v * v)), L2Norm.Of(x).item<double>(), 15);
        var random = randn([5, 1000], ScalarType.Float64, generator: new Generator(7));
        var expected = random.square().sum([1]).sqrt().data<double>().ToArray();
        var actual = L2Norm.Of(random, dims: [1]).data<double>().ToArray();
        Assert.Equal(expected, actual);
        var libtorch = linalg.vector_norm(random, dims: [1]).data<double>().ToArray();
        Assert.All(actual.Zip(libtorch), p => Assert.Equal(p.Second, p.First, 12));
    }
}
