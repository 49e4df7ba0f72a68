namespace Esp;

/// <summary>
/// The ESP metrics of one run's per-step batch-loss series (design.md): E epochs of S steps, epochs
/// numbered from 0, w = ceil(S/10). All three need at least 4 complete epochs.
/// </summary>
/// <param name="SawtoothIndex">Median over boundaries e -> e+1 (2 &lt;= e &lt;= E-2) of (mean of epoch e's last
/// w steps - mean of epoch e+1's first w steps) / mean of epoch e. Large and positive: the loss falls at every
/// epoch start (a staircase descent also scores a little; read it with the rise index).</param>
/// <param name="RiseIndex">Median over epochs e &gt;= 2 of (mean of the last w steps - mean of the first w steps)
/// / epoch mean. Positive: the loss climbs within the epoch.</param>
/// <param name="Amplitude">Median over epochs e &gt;= 2 of (max - min of the epoch's consecutive w-step window
/// means) / epoch mean: how far the loss swings inside an epoch, whatever its shape.</param>
public sealed record EspMetrics(double SawtoothIndex, double RiseIndex, double Amplitude)
{
    public const int MinEpochs = 4;

    /// <summary>The metrics of <paramref name="losses"/> (length E * <paramref name="stepsPerEpoch"/>): epochs 2 to E-1.</summary>
    /// <exception cref="ArgumentException">fewer than 4 complete epochs, or a length that is not whole epochs.</exception>
    public static EspMetrics Of(IReadOnlyList<double> losses, int stepsPerEpoch)
    {
        if (WhyNot(losses.Count, stepsPerEpoch) is string reason) throw new ArgumentException(reason, nameof(losses));
        return Between(losses, stepsPerEpoch, 2, losses.Count / stepsPerEpoch - 1);
    }

    /// <summary>
    /// The metrics over epochs <paramref name="first"/> to <paramref name="last"/> (inclusive, 0-based): the rise index and
    /// amplitude over those epochs, the sawtooth index over the boundaries between them; e.g. a schedule's stable phase
    /// against its decay. <see cref="Of"/> is epochs 2 to E-1.
    /// </summary>
    /// <exception cref="ArgumentException">a range of fewer than 2 epochs, or outside the series.</exception>
    public static EspMetrics Between(IReadOnlyList<double> losses, int stepsPerEpoch, int first, int last)
    {
        int epochs = stepsPerEpoch < 1 ? 0 : losses.Count / stepsPerEpoch, w = Window(stepsPerEpoch);
        if (first < 0 || last >= epochs || last - first < 1)
            throw new ArgumentException($"ESP metrics need a range of at least 2 whole epochs within the run's {epochs}, got epochs {first} to {last}", nameof(first));
        var all = losses.ToArray();
        var epoch = Enumerable.Range(0, epochs)
            .Select(e => new ArraySegment<double>(all, e * stepsPerEpoch, stepsPerEpoch)).ToArray();
        double Mean(IEnumerable<double> xs) => xs.Average();
        double Head(int e) => Mean(epoch[e].Take(w));
        double Tail(int e) => Mean(epoch[e].Skip(stepsPerEpoch - w));
        var range = Enumerable.Range(first, last - first + 1).ToArray();
        var sawtooth = Enumerable.Range(first, last - first).Select(e => (Tail(e) - Head(e + 1)) / Mean(epoch[e]));
        var rise = range.Select(e => (Tail(e) - Head(e)) / Mean(epoch[e]));
        var amplitude = range.Select(e =>
        {
            var windows = Enumerable.Range(0, stepsPerEpoch / w).Select(k => Mean(epoch[e].Skip(k * w).Take(w))).ToArray();
            return (windows.Max() - windows.Min()) / Mean(epoch[e]);
        });
        return new EspMetrics(Median(sawtooth), Median(rise), Median(amplitude));
    }

    /// <summary>Why the metrics cannot be computed for a series of this length, or null when they can.</summary>
    public static string? WhyNot(int steps, int stepsPerEpoch)
    {
        if (stepsPerEpoch < 1) return $"ESP metrics need at least 1 step per epoch, got {stepsPerEpoch}";
        if (steps % stepsPerEpoch != 0)
            return $"ESP metrics need whole epochs: {steps} steps is not a multiple of {stepsPerEpoch} steps per epoch (did the run diverge?)";
        if (steps / stepsPerEpoch < MinEpochs)
            return $"ESP metrics need at least {MinEpochs} epochs, got {steps / stepsPerEpoch}: run more epochs";
        return null;
    }

    /// <summary>w = ceil(S / 10): a tenth of an epoch.</summary>
    public static int Window(int stepsPerEpoch) => (stepsPerEpoch + 9) / 10;

    /// <summary>Mean of the last w steps: the last point of a plot_every = w curve.</summary>
    public static double FinalLoss(IReadOnlyList<double> losses, int stepsPerEpoch)
    {
        int w = Math.Min(Window(stepsPerEpoch), losses.Count);
        return losses.Skip(losses.Count - w).Average();
    }

    static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
