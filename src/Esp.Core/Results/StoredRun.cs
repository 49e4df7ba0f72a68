namespace Esp;

/// <summary>
/// A run read back from a <see cref="RecordFile"/>: its number, its description as the engine printed it, and its
/// record once given the experiment it belongs to (the file keeps the description, not the experiment object).
/// </summary>
public sealed record StoredRun(int Run, string Description, Func<Experiment, RunRecord> WithExperiment);
