namespace Esp.Scripting;

/// <summary>
/// What a .csx script sees without any import: <c>Args</c> and <c>Run</c>, next to Esp's descriptions,
/// Plot, Report and Deedle (imported by the host). With a <paramref name="shard"/>, Run computes only that shard's
/// slice of each grid; with <paramref name="recorded"/> runs (a merge), Run computes nothing and returns the runs the
/// shards recorded, so that the rest of the script makes the same figures and prints as a single machine's run.
/// </summary>
public sealed class ScriptGlobals(ScriptArgs args, Progress progress, CancellationToken cancel = default,
    EngineOptions? engineOptions = null, Shard? shard = null, IReadOnlyDictionary<int, StoredRun>? recorded = null)
{
    readonly List<RunRecord> records = [];
    readonly List<Grid> grids = [];
    int numbered; // runs numbered so far, across Run and Check: a shard numbers the whole grid, not its slice

    /// <summary>One Run call's grid, its first run number and the positions of the runs this process ran.</summary>
    public sealed record Grid(int FirstRun, IReadOnlyList<Experiment> Experiments, IReadOnlyList<int> Slice);

    /// <summary>Every Run call's grid so far (a shard's manifest lists them whole).</summary>
    public IReadOnlyList<Grid> Grids => grids;

    /// <summary>Whether a Run call is under way (a shard tells an engine failure from the script's own code).</summary>
    public bool InRun { get; private set; }

    /// <summary>The recorded runs that a Run call has returned (a merge checks that it used every one).</summary>
    public IReadOnlyCollection<int> Replayed => replayed;

    readonly HashSet<int> replayed = [];

    public ScriptArgs Args { get; } = args;

    /// <summary>
    /// How Run schedules a grid: runs per batch, memory budget, CPU cores, backend, checkpoints. Set it before Run,
    /// e.g. <c>EngineOptions = EngineOptions with { CheckpointEvery = 5 };</c>. A run's numbers do not depend on it.
    /// The host presets CheckpointFolder (beside the results), Resume (--resume) and TensorBoard (--tensorboard DIR).
    /// </summary>
    public EngineOptions EngineOptions { get; set; } = engineOptions ?? EngineOptions.Default;

    /// <summary>
    /// Set it to have loss spikes counted: runs.csv gains loss_spikes and spike_score (the % of steps flagged) and
    /// spikes.csv lists every spike, e.g. <c>Spikes = new ZScoreRule(Window: 100, K: 7);</c>. Null: no spike columns.
    /// One rule counts every run of the script, so it is set before the first Run, once: set after a Run, or set again
    /// to another rule, it is refused (the order a script reads in is the order it means).
    /// </summary>
    public SpikeRule? Spikes
    {
        get => spikes;
        set
        {
            if (value?.Errors().ToList() is { Count: > 0 } errors) throw new InvalidExperimentException(errors);
            if (grids.Count > 0 && value != spikes)
                throw new InvalidExperimentException([$"Spikes = {value?.Label ?? "null"} comes after a Run call, but one rule counts every run " +
                    $"of the script (so far {spikes?.Label ?? "none"}): set Spikes once, before the first Run"]);
            spikes = value;
        }
    }

    SpikeRule? spikes;

    /// <summary>Every run of every Run call so far (the host saves them as steps.csv and runs.csv).</summary>
    public IReadOnlyList<RunRecord> Records => records;

    /// <summary>Runs the experiments with a progress display; runs are numbered across calls. <paramref name="options"/>
    /// are this call's engine options (null: <see cref="EngineOptions"/>, which the command line fills in), e.g.
    /// <c>Run(grid, EngineOptions with { Threads = 1 })</c>.</summary>
    public Results Run(IEnumerable<Experiment> experiments, EngineOptions? options = null)
    {
        var grid = experiments.ToList();
        Experiment.ValidateAll(grid); // before the progress display starts
        int first = numbered;
        numbered += grid.Count;
        var slice = shard?.Slice(grid) ?? Enumerable.Range(0, grid.Count).ToList();
        grids.Add(new Grid(first, grid, slice));
        InRun = true;
        try
        {
            var results = recorded is not null ? Recorded(grid, first) : Compute(grid, first, slice, options ?? EngineOptions);
            records.AddRange(results.RunRecords);
            return new Results(results.RunRecords, spikes); // the script's rule: its frames hold what runs.csv will
        }
        finally { InRun = false; }
    }

    Results Compute(IReadOnlyList<Experiment> grid, int first, IReadOnlyList<int> slice, EngineOptions options)
    {
        if (slice.Count == 0) return new Results([]); // a shard can get no run of a small grid
        var runs = slice.Select(i => grid[i]).ToList();
        progress.Start(runs, options.CpuWorkers);
        try
        {
            return Engine.Run(runs, progress.Log, progress.RunDone, first, options, cancel, progress.Steps,
                numbers: slice.Select(i => first + i).ToList());
        }
        finally { progress.Finish(); } // ends the live line, also when interrupted
    }

    /// <summary>The grid's runs as the shards recorded them, each checked against its description here.</summary>
    Results Recorded(IReadOnlyList<Experiment> grid, int first) => new(grid.Select((x, k) =>
    {
        int run = first + k;
        if (!recorded!.TryGetValue(run, out var stored))
            throw new ShardMismatchException($"run {run} ({x}) is in no shard: the shards stopped before this Run call, " +
                "or ran another version of the script; re-run the shards");
        if (stored.Description != x.ToString())
            throw new ShardMismatchException($"run {run} is {x} here but the shards recorded {stored.Description}: " +
                "the script makes other runs than when the shards ran; re-run the shards");
        replayed.Add(run);
        return stored.WithExperiment(x);
    }).ToList());

    public Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);

    readonly List<ClaimResult> claims = [];

    /// <summary>Every claim checked so far (the host saves them as claims.csv, and plots each counterexample).</summary>
    public IReadOnlyList<ClaimResult> ClaimResults => claims;

    /// <summary>
    /// Checks a claim over its generated cases (batched through the engine) and prints one line: HOLDS, or FAILS with
    /// the counterexample shrunk to its simplest form, its description, choices and metrics. A claim that names no seed
    /// draws from the script's --seed. Its runs join the results.
    /// </summary>
    public ClaimResult Check(Claim claim)
    {
        if (shard is not null || recorded is not null)
            throw new InvalidExperimentException([$"Check(\"{claim.Name}\") cannot run sharded: a claim draws and shrinks its cases " +
                "one after another. Run a script with claims on one machine (without --shard)"]);
        progress.Log.WriteLine($"esp-script: checking \"{claim.Name}\" on {claim.Cases} cases");
        // a claim's generated cases are numbered by the claim, not the script: they write no TensorBoard runs
        var result = Claims.Check(claim, EngineOptions with { Resume = false, CheckpointEvery = null, TensorBoard = null }, defaultSeed: Args.Seed);
        claims.Add(result);
        Console.WriteLine(result);
        if (result.Counterexample?.Runs is { } runs)
        {
            int first = numbered;
            numbered += runs.Count;
            records.AddRange(runs.Select((r, k) => r with { Run = first + k }).ToList());
        }
        return result;
    }
}
