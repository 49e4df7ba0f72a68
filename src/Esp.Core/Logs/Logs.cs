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
    public static LoggedRun Lightning(string metricsCsv) => CsvLog.Read(Existing(metricsCsv), "lightning");

    /// <summary>A Hugging Face Trainer's trainer_state.json.</summary>
    public static LoggedRun HuggingFace(string trainerStateJson) => HuggingFaceLog.Read(Existing(trainerStateJson));

    /// <summary>A CSV with a step column (step, _step, global_step, or <paramref name="stepColumn"/>) and a column per quantity.</summary>
    public static LoggedRun Csv(string path, string? stepColumn = null) => CsvLog.Read(Existing(path), "csv", stepColumn);

    /// <summary>Every run under <paramref name="path"/> (a file, or a folder searched through), each read by the format its
    /// files have: event files (TensorBoard), metrics.csv (Lightning), trainer_state.json (Hugging Face), other .csv files.</summary>
    public static IReadOnlyList<LoggedRun> Read(string path, string? stepColumn = null)
    {
        if (File.Exists(path)) return ReadFile(path, stepColumn);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist: give a log file or a folder of runs");
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var runs = new List<LoggedRun>();
        if (files.Any(IsEvents)) runs.AddRange(TensorBoardLog.Read(path));
        foreach (var file in files.Where(f => !IsEvents(f) && (Path.GetExtension(f) == ".csv" || Path.GetFileName(f) == "trainer_state.json")))
            runs.AddRange(ReadFile(file, stepColumn));
        return runs.Count > 0 ? runs : throw new FileNotFoundException(
            $"{Path.GetFullPath(path)} holds no log Esp reads: events.out.tfevents.* (TensorBoard), metrics.csv (Lightning), trainer_state.json (Hugging Face) or a .csv with a step column");
    }

    static IReadOnlyList<LoggedRun> ReadFile(string file, string? stepColumn) => Path.GetFileName(file) switch
    {
        var name when IsEvents(name) => TensorBoardLog.Read(file),
        "trainer_state.json" => [HuggingFaceLog.Read(file)],
        "metrics.csv" => [CsvLog.Read(file, "lightning", stepColumn)],
        _ when Path.GetExtension(file) == ".csv" => [CsvLog.Read(file, "csv", stepColumn)],
        _ => throw new ArgumentException($"{file} is not a log Esp reads: an events.out.tfevents.* file, metrics.csv, trainer_state.json or a .csv"),
    };

    static bool IsEvents(string file) => Path.GetFileName(file).StartsWith("events.out.tfevents.", StringComparison.Ordinal);

    static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"{Path.GetFullPath(path)} does not exist");
}
