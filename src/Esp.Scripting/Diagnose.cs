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
            var option = args[i];
            if (option is "--out" or "--tag" or "--step-column" or "--steps-per-epoch")
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0) return Refuse(stderr, $"{option} needs a value");
                var value = args[++i];
                if (option == "--out") output = value;
                else if (option == "--tag") tag = value;
                else if (option == "--step-column") stepColumn = value;
                else if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1) stepsPerEpoch = n;
                else return Refuse(stderr, $"--steps-per-epoch needs a positive whole number of optimizer steps, got \"{value}\"");
            }
            else if (!option.StartsWith('-') && path is null) path = option;
            else return Refuse(stderr, $"diagnose does not take \"{option}\"\n{Usage}");
        }
        if (path is null) return Refuse(stderr, $"diagnose needs the log to read, e.g. dotnet esp-script diagnose runs/\n{Usage}");

        var runs = new List<LoggedRun>();
        var diagnoses = new List<Diagnosis>();
        IReadOnlyList<string> passedOver;
        try
        {
            (var found, passedOver) = Logs.Scan(path, stepColumn);
            foreach (var run in found)
            {
                // in a folder, a run without the tag (a validation-only run, an hparams run of its own) is passed over and named
                if (found.Count > 1 && (tag is null ? run.LossTag is null : !run.Tags.ContainsKey(tag)))
                {
                    passedOver = [.. passedOver, $"{run.Source} run {run.Name}: no {(tag is null ? "loss tag" : $"tag {tag}")} (its tags: {string.Join(", ", run.Tags.Keys.Order(StringComparer.Ordinal))})"];
                    continue;
                }
                diagnoses.Add(Diagnosis.Of(run, run.TagToDiagnose(tag), stepsPerEpoch));
                runs.Add(run);
            }
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or JsonException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return Refuse(stderr, e.Message);
        }
        foreach (var passed in passedOver) stderr.WriteLine($"esp-script: diagnose: passed over {passed}");
        if (diagnoses.Count == 0) return Refuse(stderr, $"no run under {path} has {(tag is null ? "a loss tag" : $"the tag {tag}")}: name one with --tag");

        var name = "diagnose-" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        var (folder, refusal) = ResultsFolder.Claim(output ?? Path.Combine("results", name), Directory.GetCurrentDirectory());
        if (folder is null) return Refuse(stderr, refusal!);
        using (folder)
        {
            AtomicFile.WriteFolder(folder.Path, recheck: folder.ChangedSinceClaim, fill: staging =>
            {
                DiagnosisReport.Save(diagnoses, staging);
                var files = Directory.EnumerateFiles(staging).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                AtomicFile.WriteText(Path.Combine(staging, ResultsFolder.ManifestFile), JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["written_by"] = ResultsFolder.WrittenBy, ["command"] = "diagnose", ["path"] = Path.GetFullPath(path),
                    ["steps_per_epoch"] = stepsPerEpoch, ["tag"] = tag, ["runs"] = runs.Select(r => $"{r.Source} {r.Name}").ToList(), ["files"] = files,
                }, new JsonSerializerOptions { WriteIndented = true }));
            });
        }
        foreach (var d in diagnoses)
            stdout.WriteLine($"{d.Source} {d.Run} {d.Tag}: {d.Steps} points, {d.Epochs} epochs of {d.PointsPerEpoch}; {d.MetricsText}; {d.Spikes[0].Spikes.Count} spikes" +
                (d.Note == "" ? "" : $" ({d.Note})"));
        stderr.WriteLine($"esp-script: diagnosis of {runs.Count} run(s) in {Path.GetRelativePath(Directory.GetCurrentDirectory(), folder.Path)}/");
        return ScriptRunner.Ok;
    }

    static int Refuse(TextWriter stderr, string message)
    {
        stderr.WriteLine($"esp-script: diagnose: {message}");
        return ScriptRunner.Usage;
    }
}
