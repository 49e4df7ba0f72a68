namespace Esp;

/// <summary>
/// What Esp says about one tag of a logged run (<see cref="LoggedRun"/>): its ESP metrics over the log's epochs, its
/// spikes by Esp's default rule and by each source's preset, and, where the log has the learning rate, the ESP metrics
/// of each phase the schedule went through (warm-up, stable, decay).
/// <para>Epochs: from <c>stepsPerEpoch</c> when given (epoch = step / stepsPerEpoch, counting steps from 0), else from the log's epoch column
/// (the epoch the step is in; for the Hugging Face Trainer, the fraction of epochs done after the step: the epoch it ends in).
/// Each complete epoch keeps its first P logged points, P the fewest any complete epoch has (logs written every k steps
/// give P = steps per epoch / k); the metrics use w = ceil(P / 10) points and need 4 epochs of at least 10 points.</para>
/// </summary>
public sealed record Diagnosis(string Source, string Run, string Tag, int Steps, int Epochs, int PointsPerEpoch, EspMetrics? Metrics,
    IReadOnlyList<(string Rule, IReadOnlyList<Spike> Spikes)> Spikes, IReadOnlyList<(string Phase, EspMetrics? Metrics)> Phases,
    LoggedSeries Series, string Note)
{
    public const int MinPointsPerEpoch = 10;

    /// <summary>The logged points the epochs kept (indices into the tag's series, epoch after epoch, P each).</summary>
    internal IReadOnlyList<int> Kept { get; init; } = [];

    /// <summary>The ESP metrics in a line ("sawtooth 0.217, rise 0.056, amplitude 0.171"), or why there are none.</summary>
    public string MetricsText => Metrics is { } m
        ? FormattableString.Invariant($"sawtooth {m.SawtoothIndex:F3}, rise {m.RiseIndex:F3}, amplitude {m.Amplitude:F3}") : "no ESP metrics";

    /// <summary>Esp's default spike rule (<c>loss_spikes</c>), then the sources' presets (<c>spikes_PRESET</c>).</summary>
    public static IReadOnlyList<(string Column, SpikeRule Rule)> Rules(int points) =>
        [("loss_spikes", new ZScoreRule()), ("spikes_olmo_core", ZScoreRule.OlmoCore), ("spikes_llm_foundry", RelativeRule.LlmFoundry(points)),
         ("spikes_lightning", LightningRule.SpikeDetection)];

    public static readonly string[] PhaseNames = ["warmup", "stable", "decay"];

    public static Diagnosis Of(LoggedRun run, string tag, int? stepsPerEpoch = null)
    {
        var series = run.Series(tag);
        var notes = new List<string>();
        if (run.Note != "") notes.Add(run.Note);
        var epochOf = EpochOf(run, series, stepsPerEpoch, notes);
        var (kept, perEpoch, starts) = epochOf is null ? ([], 0, []) : CutIntoEpochs(series, epochOf, notes);
        var flat = kept.Select(i => series.Values[i]).ToList();
        EspMetrics? metrics = null;
        if (perEpoch > 0 && perEpoch < MinPointsPerEpoch)
            notes.Add($"ESP metrics need at least {MinPointsPerEpoch} logged points per epoch (a window is a tenth of an epoch), got {perEpoch}: log more often");
        else if (perEpoch > 0 && EspMetrics.WhyNot(flat.Count, perEpoch) is string why) notes.Add(why);
        else if (perEpoch > 0) metrics = EspMetrics.Of(flat, perEpoch);
        var spikes = Rules(series.Count).Select(r => (r.Column, r.Rule.Detect(series.Values))).ToList();
        var phases = metrics is null ? [] : PhaseMetrics(run, starts, flat, perEpoch, notes);
        return new Diagnosis(run.Source, run.Name, tag, series.Count, starts.Count, perEpoch, metrics, spikes, phases, series, string.Join("; ", notes))
            { Kept = kept };
    }

    /// <summary>The epoch of each logged step, or null (with a note) when the log says nothing of epochs.</summary>
    static Func<long, int>? EpochOf(LoggedRun run, LoggedSeries series, int? stepsPerEpoch, List<string> notes)
    {
        if (stepsPerEpoch is int s) return step => (int)((step - (run.StepsFromOne ? 1 : 0)) / s);
        if (run.Epoch is not { Count: > 0 } epochs)
        {
            notes.Add("no epoch boundaries: the log has no epoch column; give the steps per epoch (--steps-per-epoch N)");
            return null;
        }
        var steps = epochs.Steps.ToArray();
        return step =>
        {
            int k = Array.BinarySearch(steps, step);
            if (k < 0) k = Math.Max(0, ~k - 1); // the epoch logged at or before this step
            double v = epochs.Values[k];
            return run.EpochsDone ? Math.Max(0, (int)Math.Ceiling(v) - 1) : (int)v;
        };
    }

    /// <summary>The series cut into its complete epochs of equal length: the points kept, P, and each epoch's first logged step.</summary>
    static (IReadOnlyList<int> Kept, int PerEpoch, IReadOnlyList<long> Starts) CutIntoEpochs(LoggedSeries series, Func<long, int> epochOf, List<string> notes)
    {
        var groups = Enumerable.Range(0, series.Count).GroupBy(i => epochOf(series.Steps[i])).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        if (groups.Count > 1 && groups[^1].Count < groups[^2].Count) groups.RemoveAt(groups.Count - 1); // an epoch the log stopped in
        if (groups.Count > 1 && groups[0].Count < groups[1].Count)
        {
            notes.Add($"the first epoch logged holds {groups[0].Count} points against {groups[1].Count} (a resumed or late-started log): left out");
            groups.RemoveAt(0);
        }
        if (groups.Count == 0) return ([], 0, []);
        int p = groups.Min(g => g.Count), most = groups.Max(g => g.Count);
        if (most != p) notes.Add($"epochs hold {p} to {most} logged points; each is cut to its first {p}");
        return (groups.SelectMany(g => g.Take(p)).ToList(), p, groups.Select(g => series.Steps[g[0]]).ToList());
    }

    /// <summary>The ESP metrics of each learning-rate phase: warm-up while the rate climbs to its peak (the step reaching it
    /// included), stable while it stays there, decay from the first logged step after its last at the peak; each over the
    /// epochs that start and end inside the phase.</summary>
    static IReadOnlyList<(string, EspMetrics?)> PhaseMetrics(LoggedRun run, IReadOnlyList<long> starts, IReadOnlyList<double> flat, int perEpoch, List<string> notes)
    {
        if (run.LearningRateTag is not string lrTag) return [];
        var lr = run.Tags[lrTag];
        double peak = lr.Values.Max();
        bool AtPeak(int i) => lr.Values[i] >= peak * (1 - 1e-6); // equal, to float32's precision (TensorBoard's)
        int top = Enumerable.Range(0, lr.Count).First(AtPeak);
        int last = Enumerable.Range(0, lr.Count).Last(AtPeak);
        long After(int i) => i + 1 < lr.Count ? lr.Steps[i + 1] : long.MaxValue;
        // the step that reaches the peak ends the warm-up (none when the log starts there); the first step below it starts the decay
        long stableFrom = top == 0 ? long.MinValue : After(top), decayFrom = After(last);
        var bounds = new[] { (long.MinValue, stableFrom), (stableFrom, decayFrom), (decayFrom, long.MaxValue) };
        var phases = new List<(string, EspMetrics?)>();
        for (int k = 0; k < 3; k++)
        {
            var (from, to) = bounds[k];
            // whole epochs inside the phase: epoch e runs from starts[e] to starts[e + 1]
            var inside = Enumerable.Range(0, starts.Count).Where(e => starts[e] >= from && (e + 1 < starts.Count ? starts[e + 1] : long.MaxValue) <= to).ToList();
            if (from == to || inside.Count == 0) { phases.Add((PhaseNames[k], null)); continue; }
            if (inside.Count < 2)
            {
                notes.Add($"the {PhaseNames[k]} phase holds {inside.Count} whole epoch; its ESP metrics need 2");
                phases.Add((PhaseNames[k], null));
                continue;
            }
            phases.Add((PhaseNames[k], EspMetrics.Between(flat, perEpoch, inside[0], inside[^1])));
        }
        return phases;
    }
}
