using System.Globalization;
using System.Text.Json;

namespace Esp.Scripting;

/// <summary>
/// `esp-script diagnose PATH`: Esp's analysis of runs another tool logged (<see cref="Logs.Read"/>: TensorBoard,
/// Lightning, the Hugging Face Trainer, CSV exports), written like a script's results into results/diagnose-NAME/ (or
/// --out DIR): diagnosis.csv, spikes.csv, diagnose.html and manifest.json, the folder whole or not at all.
/// </summary>
static class Diagnose
{
    public const string Usage = """
        usage: dotnet esp-script diagnose PATH [--out DIR] [--steps-per-epoch N] [--tag NAME] [--step-column NAME]

        Reads the training runs under PATH (a folder searched through, or one file) as their tool logged them:
        TensorBoard event files (a folder of runs), PyTorch Lightning's metrics.csv, the Hugging Face Trainer's
        trainer_state.json, or a CSV with a step column (W&B's, MLflow's exports). For each run's loss (or --tag
        NAME) it writes into results/diagnose-NAME/ (NAME: PATH's last part), or DIR:
          diagnosis.csv  source, run, tag, steps, epochs, points_per_epoch, sawtooth_index, rise_index, amplitude,
                         loss_spikes (Esp's default z-score rule), spikes_olmo_core, spikes_llm_foundry,
                         spikes_lightning (the sources' presets), the ESP metrics of each learning-rate phase
                         (warmup_*, stable_*, decay_*; where the log has the learning rate), and a note
          spikes.csv     run, tag, step, height, rule: every spike
          diagnose.html  each run's series, its spikes marked
        Epoch boundaries come from the log's epoch column, or from --steps-per-epoch N (optimizer steps per epoch).
        """;

    public static int Execute(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(Usage);
            return ScriptRunner.Ok;
        }
        string? path = null, output = null, tag = null, stepColumn = null;
        int? stepsPerEpoch = null;
        for (int i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--out": output = Next(); break;
                case "--tag": tag = Next(); break;
                case "--step-column": stepColumn = Next(); break;
                case "--steps-per-epoch":
                    var text = Next();
                    if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1)
                        return Refuse(stderr, $"--steps-per-epoch needs a positive whole number of optimizer steps, got \"{text}\"");
                    stepsPerEpoch = n;
                    break;
                case var a when !a.StartsWith('-') && path is null: path = a; break;
                default: return Refuse(stderr, $"diagnose does not take \"{args[i]}\"\n{Usage}");
            }
        }
        if (path is null) return Refuse(stderr, $"diagnose needs the log to read, e.g. dotnet esp-script diagnose runs/\n{Usage}");
        if (output == "" || tag == "" || stepColumn == "") return Refuse(stderr, "--out, --tag and --step-column each need a value");

        IReadOnlyList<LoggedRun> runs;
        IReadOnlyList<Diagnosis> diagnoses;
        try
        {
            runs = Logs.Read(path, stepColumn);
            diagnoses = runs.Select(r => Diagnosis.Of(r, tag ?? r.LossTag ?? throw new ArgumentException(
                $"{r.Source} run \"{r.Name}\" has no loss tag (loss, train_loss, train/loss, ...); its tags: {string.Join(", ", r.Tags.Keys.Order(StringComparer.Ordinal))}. " +
                "Name the one to diagnose with --tag"), stepsPerEpoch)).ToList();
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or IOException or JsonException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return Refuse(stderr, e.Message);
        }

        var name = "diagnose-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        var (folder, refusal) = ResultsFolder.Claim(output ?? Path.Combine("results", name), Directory.GetCurrentDirectory());
        if (folder is null) return Refuse(stderr, refusal!);
        using (folder)
        {
            AtomicFile.WriteFolder(folder.Path, recheck: folder.ChangedSinceClaim, fill: staging =>
            {
                DiagnosisReport.Save(runs, diagnoses, staging);
                var files = Directory.EnumerateFiles(staging).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                AtomicFile.WriteText(Path.Combine(staging, ResultsFolder.ManifestFile), JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["written_by"] = ResultsFolder.WrittenBy, ["command"] = "diagnose", ["path"] = Path.GetFullPath(path),
                    ["steps_per_epoch"] = stepsPerEpoch, ["tag"] = tag, ["runs"] = runs.Select(r => $"{r.Source} {r.Name}").ToList(), ["files"] = files,
                }, new JsonSerializerOptions { WriteIndented = true }));
            });
        }
        foreach (var d in diagnoses)
        {
            var m = d.Metrics is { } metrics ? FormattableString.Invariant($"sawtooth {metrics.SawtoothIndex:F3}, rise {metrics.RiseIndex:F3}, amplitude {metrics.Amplitude:F3}") : "no ESP metrics";
            stdout.WriteLine($"{d.Source} {d.Run} {d.Tag}: {d.Steps} points, {d.Epochs} epochs of {d.PointsPerEpoch}; {m}; {d.Spikes[0].Spikes.Count} spikes" +
                (d.Note == "" ? "" : $" ({d.Note})"));
        }
        stderr.WriteLine($"esp-script: diagnosis of {runs.Count} run(s) in {Path.GetRelativePath(Directory.GetCurrentDirectory(), folder.Path)}/");
        return ScriptRunner.Ok;
    }

    static int Refuse(TextWriter stderr, string message)
    {
        stderr.WriteLine($"esp-script: diagnose: {message}");
        return ScriptRunner.Usage;
    }
}
