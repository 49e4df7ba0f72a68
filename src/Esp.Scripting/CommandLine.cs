using System.Globalization;

namespace Esp.Scripting;

/// <summary>What `esp-script` was asked to do.</summary>
public sealed record CommandLine(
    string Script,
    string? Out = null,
    bool Quick = false,
    int Seed = 0,
    string? CacheFolder = null,
    IReadOnlyDictionary<string, string>? Values = null,
    bool Help = false,
    bool Resume = false,
    ShardSource? Shard = null,
    string? TensorBoard = null,
    bool Images = false)
{
    public const string Usage = """
        usage: dotnet esp-script SCRIPT.csx [options] [--NAME VALUE ...]
               dotnet esp-script SCRIPT.csx --help    (also lists the options SCRIPT reads)
               dotnet esp-script merge results/NAME    (joins the shards of a sharded run, see --shard)
               dotnet esp-script diagnose PATH    (Esp's analysis of runs other tools logged; diagnose --help)

        Runs an Esp experiment script and writes its results to results/<script name>/ in the
        current directory (not beside the script): steps.csv, runs.csv, <name>.html (figures,
        viewable offline) and manifest.json.

        options:
          --out DIR     write results into DIR instead of results/<script name>/ (relative to the
                        current directory). Results replace DIR whole, so DIR must be new, empty, or
                        a folder esp-script wrote (its manifest.json lists every file in it); the
                        current directory, its ancestors, a repository root, a mount point or a
                        folder holding other files are refused before anything runs
          --quick       ask the script to scale itself down (smoke tests); scripts read Args.Quick
          --seed N      base seed for the script's experiments (Args.Seed, default 0)
          --cache DIR   where compiled scripts are cached (default ~/.cache/esp/scripts)
          --resume      continue from the checkpoints of an interrupted run of the script (scripts
                        that set EngineOptions.CheckpointEvery save them in <out>.checkpoints/);
                        runs that had finished are not recomputed
          --shard i/n   run only the i-th (0-based, 0 <= i < n) of n slices of every Run grid, balanced by
                        the runs' expected cost, into <out>/shards/i-of-n/ (no figures or summaries: the
                        results are partial; `merge <out>` writes them once every shard is there). Without
                        it, a Slurm job array task (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a
                        Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX, with --shards n) runs its shard
          --shards n    the shard count, for JOB_COMPLETION_INDEX (a Job's completions)
          --tensorboard DIR  also write each run's per-step columns and settings as TensorBoard event files,
                        one folder per run (DIR/run-0003/)
          --images      also write each saved figure as SVG and PNG beside its page (NAME.svg, NAME.png),
                        drawn from the page by headless Chromium (apt-get install chromium)
          --help        print this text
          --NAME VALUE  an option of the script, read there with Args.Get("NAME", default); a NAME
                        the script never reads is refused before anything runs

        Ctrl-C (SIGINT) or SIGTERM stops the runs at their next step, removes the temporary
        output and keeps the previous results.

        exit codes: 0 done, 1 the script does not compile, 2 it threw, 3 an invalid experiment
        description (nothing ran), 64 a bad command line or --out folder, or shards that do not
        merge (nothing ran),
        130 stopped by SIGINT, 143 stopped by SIGTERM
        """;

    /// <summary>
    /// Parses the arguments, or returns the error to print with the usage text. --help wins over any error:
    /// it gives no line, or with a script a line with Help set (its options are listed too).
    /// </summary>
    public static (CommandLine? Line, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        var (line, error) = ParseAll(args, environment ?? Environment.GetEnvironmentVariable);
        if (!args.Any(a => a is "--help" or "-h")) return (line, error);
        var script = line?.Script ?? args.FirstOrDefault(a => !a.StartsWith('-') && a.EndsWith(".csx", StringComparison.Ordinal));
        return (script is null ? null : (line ?? new CommandLine(script)) with { Script = script, Help = true }, null);
    }

    static (CommandLine? Line, string? Error) ParseAll(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? script = null, output = null, cache = null, shard = null, shards = null, tensorBoard = null;
        bool quick = false, resume = false, images = false;
        int seed = 0;
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (a)
            {
                case "--help" or "-h": break; // Parse answers it
                case "--quick": quick = true; break;
                case "--resume": resume = true; break;
                case "--images":
                    if (PageImages.Unavailable is string why) return (null, $"--images: {why}");
                    images = true;
                    break;
                case "--out": output = Next() ?? ""; if (output == "") return (null, "--out needs a folder, e.g. --out results/try1"); break;
                case "--cache": cache = Next() ?? ""; if (cache == "") return (null, "--cache needs a folder"); break;
                case "--shard": shard = Next() ?? ""; break;
                case "--shards": shards = Next() ?? ""; break;
                case "--tensorboard":
                    tensorBoard = Next() ?? "";
                    if (tensorBoard == "") return (null, "--tensorboard needs a folder, e.g. --tensorboard runs/tb");
                    break;
                case "--seed":
                    var s = Next();
                    if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed) || seed < 0)
                        return (null, $"--seed needs a non-negative integer, got \"{s}\"");
                    break;
                case var named when named.StartsWith("--", StringComparison.Ordinal):
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        return (null, OptionCheck.Closest(named[2..], OptionCheck.Flags) is string flag
                            ? $"{named} is not an option of esp-script; did you mean --{flag}?"
                            : $"{named} is not an option of esp-script, and as a script option (--NAME VALUE) it needs a value, e.g. {named} 1");
                    values[named[2..]] = Next()!;
                    break;
                default:
                    if (script != null) return (null, $"only one script can run at a time, got \"{script}\" and \"{a}\"");
                    script = a;
                    break;
            }
        }
        if (script is null) return (null, "give the script to run, e.g. dotnet esp-script experiments/fig19.csx");
        var (source, shardError) = ShardSource.Resolve(shard, shards, environment);
        if (shardError is not null) return (null, shardError);
        return (new CommandLine(script, output, quick, seed, cache, values, Resume: resume, Shard: source, TensorBoard: tensorBoard, Images: images), null);
    }

    /// <summary>results/&lt;script name&gt;/ unless --out was given: where the whole results go (and the shards' folder).</summary>
    public string ResultsRoot => Out ?? Path.Combine("results", Path.GetFileNameWithoutExtension(Script));

    /// <summary>What this run writes: <see cref="ResultsRoot"/>, or a shard's folder inside it.</summary>
    public string OutputFolder => Shard is null ? ResultsRoot : Path.Combine(ResultsRoot, ShardMerge.ShardsFolder, Shard.Shard.Name);

    /// <summary>Where the script's checkpoints go: beside its results folder, so that they outlive a failed or interrupted run.</summary>
    public string CheckpointFolder => Path.GetFullPath(OutputFolder).TrimEnd('/') + ".checkpoints";
}
