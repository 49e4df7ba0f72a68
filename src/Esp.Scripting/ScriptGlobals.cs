namespace Esp.Scripting;

/// <summary>
/// What a .csx script sees without any import: <c>Args</c> and <c>Run</c>, next to Esp's descriptions,
/// Plot, Report and Deedle (imported by the host).
/// </summary>
public sealed class ScriptGlobals(ScriptArgs args, Progress progress, CancellationToken cancel = default,
    EngineOptions? engineOptions = null)
{
    readonly List<RunRecord> records = [];

    public ScriptArgs Args { get; } = args;

    /// <summary>
    /// How Run schedules a grid: runs per batch, memory budget, CPU cores, backend, checkpoints. Set it before Run,
    /// e.g. <c>EngineOptions = EngineOptions with { CheckpointEvery = 5 };</c>. A run's numbers do not depend on it.
    /// The host presets CheckpointFolder (beside the results) and Resume (--resume).
    /// </summary>
    public EngineOptions EngineOptions { get; set; } = engineOptions ?? EngineOptions.Default;

    /// <summary>
    /// Set it to have loss spikes counted: runs.csv gains loss_spikes and spike_score (the % of steps flagged) and
    /// spikes.csv lists every spike, e.g. <c>Spikes = new ZScoreRule(Window: 100, K: 7);</c>. Null: no spike columns.
    /// </summary>
    public SpikeRule? Spikes
    {
        get => spikes;
        set => spikes = value?.Errors().ToList() is { Count: > 0 } errors ? throw new InvalidExperimentException(errors) : value;
    }

    SpikeRule? spikes;

    /// <summary>Every run of every Run call so far (the host saves them as steps.csv and runs.csv).</summary>
    public IReadOnlyList<RunRecord> Records => records;

    /// <summary>Runs the experiments with a progress display; runs are numbered across calls.</summary>
    public Results Run(IEnumerable<Experiment> experiments)
    {
        var grid = experiments.ToList();
        Experiment.ValidateAll(grid); // before the progress display starts
        progress.Start(grid);
        Results results;
        try { results = Engine.Run(grid, progress.Log, progress.RunDone, firstRun: records.Count, EngineOptions, cancel, progress.EpochDone); }
        finally { progress.Finish(); } // ends the live line, also when interrupted
        records.AddRange(results.RunRecords);
        return results;
    }

    public Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);

    readonly List<ClaimResult> claims = [];

    /// <summary>Every claim checked so far (the host saves them as claims.csv, and plots each counterexample).</summary>
    public IReadOnlyList<ClaimResult> ClaimResults => claims;

    /// <summary>
    /// Checks a claim over its generated cases (batched through the engine) and prints one line: HOLDS, or FAILS with
    /// the counterexample shrunk to its simplest form, its description and metrics. Its runs join the results.
    /// </summary>
    public ClaimResult Check(Claim claim)
    {
        progress.Log.WriteLine($"esp-script: checking \"{claim.Name}\" on {claim.Cases} cases");
        var result = Claims.Check(claim, EngineOptions with { Resume = false, CheckpointEvery = null }, progress.Log);
        claims.Add(result);
        Console.WriteLine(result);
        if (result.Counterexample is { } runs)
        {
            int first = records.Count; // read once: AddRange enumerates lazily, adding as it goes
            records.AddRange(runs.Select((r, k) => r with { Run = first + k }).ToList());
        }
        return result;
    }
}
