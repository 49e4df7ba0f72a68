namespace Esp;

/// <summary>How a WSD decay falls from 1 to the final factor m over its progress p in (0, 1].</summary>
public enum DecayShape
{
    /// <summary>1 - (1 - m) p.</summary>
    Linear,
    /// <summary>m + (1 - m) (1 + cos(pi p)) / 2.</summary>
    Cosine,
    /// <summary>m^p: MiniCPM's exponential decay (a constant factor per step), reaching m at the end; needs m > 0.</summary>
    Exponential,
    /// <summary>1 / (p / m + (1 - p)): lingua's decay (the inverse of a linear interpolation); needs m > 0.</summary>
    InverseLinear,
}

static class Decay
{
    public static double Factor(DecayShape shape, double p, double m) => shape switch
    {
        DecayShape.Linear => 1 - (1 - m) * p,
        DecayShape.Cosine => m + (1 - m) * (1 + Math.Cos(Math.PI * p)) / 2,
        DecayShape.Exponential => Math.Pow(m, p),
        DecayShape.InverseLinear => 1 / (p / m + (1 - p)),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown decay shape"),
    };

    /// <summary>The largest |d factor / dp| of the shape: a step of the decay changes the factor by at most this over its length.</summary>
    public static double MaxSlope(DecayShape shape, double m) => shape switch
    {
        DecayShape.Linear => 1 - m,
        DecayShape.Cosine => Math.PI / 2 * (1 - m),
        DecayShape.Exponential => -Math.Log(m),
        _ => 1 / m - 1,
    };

    public static IEnumerable<string> Errors(string schedule, DecayShape shape, double m)
    {
        if (!Enum.IsDefined(shape)) yield return $"{schedule}.Shape must be Linear, Cosine, Exponential or InverseLinear, got {(int)shape}";
        if (shape is DecayShape.Exponential or DecayShape.InverseLinear && !(m > 0))
            yield return $"{schedule}.MinFactor must be > 0 for the {shape} decay (it divides by it or takes its power), got {Require.Show(m)}: use e.g. 0.01";
    }
}
