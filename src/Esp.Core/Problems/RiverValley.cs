using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// A river-valley loss (the picture behind warmup-stable-decay schedules): x = (u, h_1..h_H). N functions
/// f_i(x) = Rho (u - v_i)^2 + sum_j a_j (h_j - c_ij)^2, a_j ~ U(HillLow, HillHigh), c_ij ~ N(0, Noise^2), v_i ~ N(0, Noise^2),
/// x starting at (U0, 0, ..., 0). The river u is flat (curvature Rho, small) and its minibatch gradient weak; the hills
/// are steep and each batch pulls them towards its own noisy centre, so at a constant learning rate they keep
/// oscillating. The full loss splits exactly into three parts, recorded after each epoch (epochs.csv):
/// river_loss = Rho (u - mean v)^2, hill_loss = sum_j a_j (h_j - mean_i c_ij)^2, and a floor (the loss at the minimum:
/// the functions' spread) that no optimizer can remove: full_loss = river_loss + hill_loss + floor.
/// </summary>
public sealed record RiverValley(int N = 1000, int Hills = 20, double Rho = 0.001, double HillLow = 1, double HillHigh = 10,
    double Noise = 1, double U0 = 30, Precision Precision = Precision.Float64, int? DataSeed = null) : Problem
{
    internal override int Examples => N;
    internal override int Parameters => 1 + Hills;
    internal override Precision ElementPrecision => Precision;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("n", N), ("d", 1 + Hills), ("rho", Rho), ("noise", Noise), ("precision", Precision == Precision.Float64 ? "float64" : "float32")];

    internal override object BatchKey => (nameof(RiverValley), N, Hills, Precision);

    internal override IReadOnlyList<string> EpochColumns => ["river_loss", "hill_loss", "floor"];

    internal override long TensorBytesPerRun(Experiment x) => (long)N * (Hills + 2) * 8 * 3 + 16L * (1 + Hills) * 8;

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        new RiverValleyTensors(runs, device, type);

    public override IEnumerable<string> Errors()
    {
        if (N < 1) yield return $"RiverValley.N must be >= 1, got {N}: use e.g. 1000";
        if (Hills < 1) yield return $"RiverValley.Hills must be >= 1, got {Hills}: use e.g. 20";
        foreach (var e in Require.Positive("RiverValley.Rho", Rho, "use a small curvature, e.g. 0.001")) yield return e;
        if (!(HillLow > 0 && HillLow <= HillHigh && double.IsFinite(HillHigh)))
            yield return $"RiverValley.HillLow..HillHigh must be a positive range with low <= high, got [{Require.Show(HillLow)}, {Require.Show(HillHigh)}]: use e.g. 1..10";
        foreach (var e in Require.NonNegative("RiverValley.Noise", Noise, "use e.g. 1")) yield return e;
        if (!double.IsFinite(U0)) yield return $"RiverValley.U0 must be finite, got {Require.Show(U0)}: use e.g. 30";
    }

    /// <summary>The drawn coefficients: a [H], c [N, H] row-major, v [N].</summary>
    internal (double[] A, double[] C, double[] V) Draw(int seed)
    {
        var rng = Rng.For(DataSeed ?? seed, "river");
        double Normal() => Noise * rng.Normal();
        var a = Enumerable.Range(0, Hills).Select(_ => rng.Uniform(HillLow, HillHigh)).ToArray();
        var c = Enumerable.Range(0, N * Hills).Select(_ => Normal()).ToArray();
        var v = Enumerable.Range(0, N).Select(_ => Normal()).ToArray();
        return (a, c, v);
    }
}
