namespace Esp;

/// <summary>The drawn coefficients of a <see cref="QuadraticProblem"/>: f_i(x) = A[i] (x[Dim[i]] - C[i])^2 + B[i].</summary>
public sealed record QuadraticData(double[] A, double[] B, double[] C, int[] Dim)
{
    /// <summary>Draws the coefficients from the problem's data seed, or from <paramref name="seed"/> when it has none.</summary>
    public static QuadraticData Draw(QuadraticProblem p, int seed)
    {
        var rng = Rng.For(p.DataSeed ?? seed, "problem");
        double[] Draw(double lo, double hi) => Enumerable.Range(0, p.N).Select(_ => rng.Uniform(lo, hi)).ToArray();
        var a = Draw(p.ALow, p.AHigh);
        var b = Draw(p.BLow, p.BHigh);
        var c = Draw(p.CLow, p.CHigh);
        // the paper's problem (Rare = 0) draws exactly as before; rare functions own coordinates 0..Rare-1
        var dim = Enumerable.Range(0, p.N).Select(_ => p.Rare + rng.NextInt(p.D - p.Rare)).ToArray();
        for (int i = 0; i < p.Rare; i++) (a[i], dim[i]) = (p.RareA, i);
        return new QuadraticData(a, b, c, dim);
    }

}
