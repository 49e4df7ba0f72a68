using Deedle;

namespace Esp;

/// <summary>
/// Diagnoses as files and frames: diagnosis.csv (one row per run and tag: source, run, tag, steps, epochs,
/// points_per_epoch, sawtooth_index, rise_index, amplitude, loss_spikes, spikes_olmo_core, spikes_llm_foundry,
/// spikes_lightning, then the three ESP metrics of each learning-rate phase, warmup_*, stable_*, decay_*, and a note),
/// spikes.csv (run, tag, step, height, rule: every spike by every rule, at the logged step) and diagnose.html (each
/// run's series with the spikes Esp's default rule finds marked).
/// </summary>
public static class DiagnosisReport
{
    public static Frame<int, string> Frame(IReadOnlyList<Diagnosis> diagnoses) => Rows(diagnoses).ToFrame();

    public static Frame<int, string> SpikesFrame(IReadOnlyList<Diagnosis> diagnoses) => SpikeRows(diagnoses).ToFrame();

    static Table Rows(IReadOnlyList<Diagnosis> diagnoses)
    {
        var table = new Table();
        foreach (var d in diagnoses)
        {
            var m = d.Metrics;
            IEnumerable<(string, Func<int, object?>)> cells =
            [
                ("source", _ => d.Source), ("run", _ => d.Run), ("tag", _ => d.Tag), ("steps", _ => d.Steps), ("epochs", _ => d.Epochs),
                ("points_per_epoch", _ => d.PointsPerEpoch), ("sawtooth_index", _ => m?.SawtoothIndex ?? double.NaN),
                ("rise_index", _ => m?.RiseIndex ?? double.NaN), ("amplitude", _ => m?.Amplitude ?? double.NaN),
                .. d.Spikes.Select(s => (s.Rule, (Func<int, object?>)(_ => s.Spikes.Count))),
                .. Diagnosis.PhaseNames.SelectMany(phase =>
                {
                    var pm = d.Phases.FirstOrDefault(p => p.Phase == phase).Metrics;
                    return new (string, Func<int, object?>)[] { ($"{phase}_sawtooth_index", _ => pm?.SawtoothIndex ?? double.NaN),
                        ($"{phase}_rise_index", _ => pm?.RiseIndex ?? double.NaN), ($"{phase}_amplitude", _ => pm?.Amplitude ?? double.NaN) };
                }),
                ("note", _ => d.Note),
            ];
            table.AddRows(1, cells);
        }
        return table;
    }

    static Table SpikeRows(IReadOnlyList<Diagnosis> diagnoses)
    {
        var table = new Table();
        table.Declare(["run", "tag", "step", "height", "rule"]);
        foreach (var d in diagnoses)
            foreach (var (rule, spikes) in d.Spikes)
                table.AddRows(spikes.Count, [("run", _ => d.Run), ("tag", _ => d.Tag), ("step", i => d.Series.Steps[spikes[i].Step]),
                    ("height", i => spikes[i].Height), ("rule", _ => rule)]);
        return table;
    }

    /// <summary>Each diagnosed series against its logged steps, its spikes by Esp's default rule marked.</summary>
    public static Figure Figure(IReadOnlyList<Diagnosis> diagnoses) => diagnoses.Select(d =>
    {
        var series = d.Series;
        var steps = series.Steps.Select(s => (double)s).ToArray();
        var spikes = d.Spikes[0].Spikes;
        return Charts.Lines($"{d.Source} {d.Run}, {d.Tag}: {d.MetricsText}", "step", d.Tag,
            [new Curve(d.Tag, steps, series.Values), new Curve($"spikes ({d.Spikes[0].Rule})", spikes.Select(s => steps[s.Step]).ToList(),
                spikes.Select(s => series.Values[s.Step]).ToList(), Markers: true, Line: false)]);
    }).Aggregate((a, b) => a.And(b));

    /// <summary>Writes diagnosis.csv, spikes.csv and diagnose.html into <paramref name="folder"/>, each whole or not at all.</summary>
    public static void Save(IReadOnlyList<Diagnosis> diagnoses, string folder)
    {
        Csv.Save(Rows(diagnoses), Path.Combine(folder, "diagnosis.csv"));
        Csv.Save(SpikeRows(diagnoses), Path.Combine(folder, "spikes.csv"));
        Figure(diagnoses).Save(Path.Combine(folder, "diagnose.html"));
    }
}
