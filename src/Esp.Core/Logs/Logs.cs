namespace Esp;

/// <summary>
/// Other tools' training logs as <see cref="LoggedRun"/>s, for Esp's analysis (<see cref="Diagnosis"/>, ESP metrics,
/// spike rules): TensorBoard event files, PyTorch Lightning's CSVLogger, the Hugging Face Trainer's trainer_state.json,
/// and plain CSV exports (W&amp;B, MLflow). <see cref="Read"/> recognises them from their files.
/// </summary>
public static class Logs
{
    /// <summary>A folder of TensorBoard runs (every sub-folder holding events.out.tfevents.* files), or one event file.</summary>
    public static IReadOnlyList<LoggedRun> TensorBoard(string path) => TensorBoardLog.Read(path);

    /// <summary>A Lightning CSVLogger's metrics.csv (its hparams.yaml beside it gives the settings).</summary>
    public static LoggedRun Lightning(string metricsCsv) => CsvLog.Read(Existing(metricsCsv), "lightning").Single();

    /// <summary>A Hugging Face Trainer's trainer_state.json.</summary>
    public static LoggedRun HuggingFace(string trainerStateJson) => HuggingFaceLog.Read(Existing(trainerStateJson));

    /// <summary>A CSV with a step column (global_step, step, _step, or <paramref name="stepColumn"/>) and a column per quantity;
    /// with a "run" column, one run per value (Esp's own steps.csv).</summary>
    public static IReadOnlyList<LoggedRun> Csv(string path, string? stepColumn = null) => CsvLog.Read(Existing(path), "csv", stepColumn);

    /// <summary>Every run under <paramref name="path"/> (a file, or a folder searched through), each read by the format its
    /// files have: event files (TensorBoard), metrics.csv (Lightning), trainer_state.json (Hugging Face), other .csv files;
    /// in a folder, a run is named by its path below it, and a .csv that is no log (no step column) is passed over.</summary>
    public static IReadOnlyList<LoggedRun> Read(string path, string? stepColumn = null) => Scan(path, stepColumn).Runs;

    /// <summary>As <see cref="Read"/>, with what was passed over in a folder and why.</summary>
    public static (IReadOnlyList<LoggedRun> Runs, IReadOnlyList<string> PassedOver) Scan(string path, string? stepColumn = null)
    {
        if (File.Exists(path)) return (ReadFile(path, stepColumn), []);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist: give a log file or a folder of runs");
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var runs = new List<LoggedRun>();
        var passed = new List<string>();
        if (files.Any(IsEvents)) runs.AddRange(TensorBoardLog.Read(path));
        foreach (var file in files.Where(f => !IsEvents(f) && (Path.GetExtension(f) == ".csv" || Path.GetFileName(f) == "trainer_state.json")))
        {
            var relative = Path.GetRelativePath(path, file);
            try
            {
                // a run is named by its path below the folder: its folder (Lightning, the Trainer), or the file and its run (a CSV)
                var stem = Path.GetFileNameWithoutExtension(file);
                string Named(LoggedRun r) => Path.GetFileName(file) is "metrics.csv" or "trainer_state.json"
                    ? Path.GetDirectoryName(relative) is { Length: > 0 } folder ? folder : "."
                    : Path.ChangeExtension(relative, null) + r.Name[stem.Length..];
                runs.AddRange(ReadFile(file, stepColumn).Select(r => r with { Name = Named(r) }));
            }
            catch (ArgumentException e) { passed.Add($"{relative}: {e.Message}"); }
        }
        return runs.Count > 0 ? (runs, passed) : throw new FileNotFoundException(
            $"{Path.GetFullPath(path)} holds no log Esp reads: events.out.tfevents.* (TensorBoard), metrics.csv (Lightning), trainer_state.json (Hugging Face) or a .csv with a step column" +
            string.Concat(passed.Select(p => $"; passed over {p}")));
    }

    /// <summary>
    /// The runs as <see cref="Esp.Results"/>, so that frames, GroupStats, Report and Plot work on them as on Esp's own:
    /// each run's <paramref name="tag"/> (null: its loss tag) becomes the "loss" column, cut into epochs as
    /// <see cref="Diagnosis"/> cuts it (<paramref name="stepsPerEpoch"/>, or the log's epochs), its other tags the columns
    /// of the same logged steps (empty where not logged there); settings: source, log and what the log recorded. A run
    /// with no epoch boundaries is one epoch of all its points (no ESP metrics).
    /// </summary>
    public static Results Results(IReadOnlyList<LoggedRun> runs, int? stepsPerEpoch = null, string? tag = null) => new(runs.Select((run, k) =>
    {
        var name = run.TagToDiagnose(tag);
        var d = Diagnosis.Of(run, name, stepsPerEpoch);
        var series = d.Series;
        var kept = d.Kept.Count > 0 ? d.Kept : Enumerable.Range(0, series.Count).ToList();
        var steps = kept.Select(i => series.Steps[i]).ToList();
        double[] Aligned(LoggedSeries other)
        {
            var at = other.Steps.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => other.Values[p.i]);
            return steps.Select(s => at.TryGetValue(s, out var v) ? v : double.NaN).ToArray();
        }
        // a tag named as a column the results already have (Lightning's "step", a "loss" beside the diagnosed tag) keeps "log/"
        var taken = new HashSet<string> { "run", "loss", "logged_step", "epoch", "step", "global_step" };
        var others = run.Tags.Where(t => t.Key != name).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (Name: taken.Contains(t.Key) ? "log/" + t.Key : t.Key, Values: Aligned(t.Value)));
        var columns = new[] { ("loss", kept.Select(i => series.Values[i]).ToArray()), ("logged_step", steps.Select(s => (double)s).ToArray()) }
            .Concat(others).ToList();
        var description = new LoggedDescription(run.Source, run.Name, run.Settings, d.Kept.Count > 0 ? d.PointsPerEpoch : kept.Count);
        var settings = description.Settings().Select(s => s.Column).ToHashSet();
        columns = columns.Select(c => settings.Contains(c.Item1) ? ("log/" + c.Item1, c.Item2) : c).ToList(); // a tag named as a setting
        return new RunRecord(k, description, columns.Select(c => c.Item1).ToList(), columns.Select(c => c.Item2).ToList(), kept.Count,
            [], [], [], RunStatus.Completed, d.Note, 0);
    }).ToList());

    static IReadOnlyList<LoggedRun> ReadFile(string file, string? stepColumn) => Path.GetFileName(file) switch
    {
        var name when IsEvents(name) => TensorBoardLog.Read(file),
        "trainer_state.json" => [HuggingFaceLog.Read(file)],
        "metrics.csv" => CsvLog.Read(file, "lightning", stepColumn),
        _ when Path.GetExtension(file) == ".csv" => CsvLog.Read(file, "csv", stepColumn),
        _ => throw new ArgumentException($"{file} is not a log Esp reads: an events.out.tfevents.* file, metrics.csv, trainer_state.json or a .csv"),
    };

    static bool IsEvents(string file) => Path.GetFileName(file).StartsWith("events.out.tfevents.", StringComparison.Ordinal);

    static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist");
}
