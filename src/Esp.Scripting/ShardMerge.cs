using System.Text.Json;
using System.Text.RegularExpressions;

namespace Esp.Scripting;

/// <summary>
/// <c>dotnet esp-script merge results/NAME</c>: checks that every shard of one sharded run is in
/// results/NAME/shards/ exactly once, all from the same script (same content hash) and arguments, then runs the script
/// again with Run returning the shards' recorded runs instead of computing them. Every print, figure and summary of
/// the script happens as in a single machine's run, so steps.csv, runs.csv, the figures and the manifest are the ones
/// a single machine writes (save the timings). Anything missing, duplicated or mismatched is an error naming the
/// shards, before anything is written; results/NAME is replaced whole (its shards/ is kept).
/// </summary>
public static partial class ShardMerge
{
    public const string ShardsFolder = "shards", RecordsFile = "records.bin";
    public const string Usage = """
        usage: dotnet esp-script merge results/NAME [--cache DIR]

        Joins the shards in results/NAME/shards/i-of-n/ (written by SCRIPT.csx --shard i/n, a Slurm job array or a
        Kubernetes Indexed Job) into results/NAME/: the script runs again on the shards' recorded runs and writes what
        a single machine writes. Run it where the shards ran, with the script unchanged. Missing, duplicated or
        mismatched shards are refused by name (exit 64) and nothing is written.
        """;

    /// <summary>What one shard's manifest says.</summary>
    sealed record ShardInfo(string Folder, int Index, int Count, string Script, string WorkingDirectory, string Sources,
        string Arguments, JsonElement Values, bool Quick, int Seed, string IntraOpThreads);

    public static int Execute(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Interrupt? interrupt = null)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(Usage);
            return ScriptRunner.Ok;
        }
        string? folder = null, cache = null;
        for (int i = 0; i < args.Count; i++)
            if (args[i] == "--cache" && i + 1 < args.Count) cache = args[++i];
            else if (folder is null && !args[i].StartsWith('-')) folder = args[i];
            else return Refuse(stderr, $"merge takes a results folder and --cache DIR, got \"{args[i]}\"\n{Usage}");
        if (folder is null) return Refuse(stderr, $"merge needs the results folder of the sharded run\n{Usage}");

        var (shards, errors) = Survey(folder);
        if (errors.Count > 0) return Refuse(stderr, string.Join("\n", errors.Select(e => $"merge: {e}")));
        var first = shards[0];
        var script = File.Exists(first.Script) ? first.Script : Path.Combine(first.WorkingDirectory, first.Script);
        if (!File.Exists(script))
            return Refuse(stderr, $"merge: the shards ran {first.Script} in {first.WorkingDirectory}, which is not there now: " +
                "run merge where the shards ran, with the script in place");
        var now = Sources(ScriptCompiler.Parse(script).SourceFiles);
        if (now != first.Sources)
            return Refuse(stderr, $"merge: {script} changed since the shards ran (shards: {first.Sources}; now: {now}): " +
                "put back the script the shards ran, or run the shards again");

        try { return Join(folder, cache, shards, script, stdout, stderr, interrupt); }
        catch (ShardMismatchException e) { return Refuse(stderr, $"merge: {e.Message}"); }
    }

    /// <summary>Reads every shard's records, refusing a run that two shards hold, and runs the script on them.</summary>
    static int Join(string folder, string? cache, IReadOnlyList<ShardInfo> shards, string script, TextWriter stdout, TextWriter stderr, Interrupt? interrupt)
    {
        var first = shards[0];
        var recorded = new Dictionary<int, StoredRun>();
        var holder = new Dictionary<int, string>();
        foreach (var shard in shards)
            foreach (var run in Records(shard))
            {
                if (holder.TryGetValue(run.Run, out var other))
                    throw new ShardMismatchException($"run {run.Run} is in both shard {other} and shard {shard.Folder}: the shards overlap; re-run them");
                (recorded[run.Run], holder[run.Run]) = (run, shard.Folder);
            }
        IReadOnlyList<StoredRun> Records(ShardInfo shard)
        {
            try { return RecordFile.Read(Path.Combine(folder, ShardsFolder, shard.Folder, RecordsFile)); }
            catch (InvalidDataException e) { throw new ShardMismatchException($"shard {shard.Folder}: {e.Message}"); }
        }
        stderr.WriteLine($"esp-script: merging {recorded.Count} runs from {shards.Count} shards");
        var line = new CommandLine(script, folder, first.Quick, first.Seed, cache,
            first.Values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        return ScriptRunner.Run(line, stdout, stderr, interrupt: interrupt, recorded: recorded,
            mergedFrom: shards.Select(s => s.Folder).ToList()).ExitCode;
    }

    static int Refuse(TextWriter stderr, string message)
    {
        stderr.WriteLine($"esp-script: {message}");
        stderr.WriteLine("esp-script: nothing was written");
        return ScriptRunner.Usage;
    }

    /// <summary>The shards in <paramref name="folder"/>/shards/ (by index), or every reason they do not make one whole run.</summary>
    static (IReadOnlyList<ShardInfo> Shards, IReadOnlyList<string> Errors) Survey(string folder)
    {
        var root = Path.Combine(folder, ShardsFolder);
        if (!Directory.Exists(root))
            return ([], [$"{root} does not exist: run the script with --shard i/n (or as a Slurm job array / Kubernetes Indexed Job) first, with --out {folder} if it was given"]);
        var errors = new List<string>();
        var shards = new List<ShardInfo>();
        foreach (var dir in Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(d => ShardName().IsMatch(d!)).Order())
        {
            var (info, error) = Read(Path.Combine(root, dir!), dir!);
            if (error is not null) errors.Add(error);
            else shards.Add(info!);
        }
        if (shards.Count == 0 && errors.Count == 0)
            return ([], [$"{root} holds no shard folders (i-of-n): run the script with --shard i/n first"]);
        foreach (var misnamed in shards.Where(s => s.Folder != $"{s.Index}-of-{s.Count}"))
            errors.Add($"shard folder {misnamed.Folder} holds shard {misnamed.Index}-of-{misnamed.Count} (its manifest.json): a copied or renamed folder; remove it");
        Disagree(shards, s => s.Count.ToString(), "shard counts", errors, "remove the shards of the other run, or re-run them all with one count");
        Disagree(shards, s => s.Sources, "scripts (content hashes)", errors, "re-run the shards made from the other version of the script");
        Disagree(shards, s => s.Arguments, "arguments (--quick, --seed, --NAME values)", errors, "re-run the shards made with the other arguments");
        Disagree(shards.Where(s => s.IntraOpThreads != "").ToList(), s => s.IntraOpThreads, "numerical settings (EngineOptions.IntraOpThreads of their CPU tensor runs)",
            errors, "their network numbers would not match a single machine's: re-run the shards made with the other setting");
        foreach (var twice in shards.GroupBy(s => (s.Index, s.Count)).Where(g => g.Count() > 1))
            errors.Add($"shard {twice.Key.Index}-of-{twice.Key.Count} is there {twice.Count()} times ({string.Join(", ", twice.Select(s => s.Folder))}): keep one");
        if (errors.Count == 0)
        {
            int count = shards[0].Count;
            var missing = Enumerable.Range(0, count).Except(shards.Select(s => s.Index)).ToList();
            if (missing.Count > 0)
                errors.Add($"{missing.Count} of {count} shards missing: {string.Join(", ", missing.Take(10).Select(i => $"{i}-of-{count}"))}" +
                    $"{(missing.Count > 10 ? ", ..." : "")} (no finished folder in {root}): run them (e.g. --shard {missing[0]}/{count}) and merge again");
        }
        return (shards.OrderBy(s => s.Index).ToList(), errors);
    }

    static void Disagree(IReadOnlyList<ShardInfo> shards, Func<ShardInfo, string> key, string what, List<string> errors, string fix)
    {
        var groups = shards.GroupBy(key).ToList();
        if (groups.Count > 1)
            errors.Add($"the shards come from different {what}: " +
                string.Join("; ", groups.Select(g => $"{string.Join(", ", g.Select(s => s.Folder))}: {g.Key}")) + $": {fix}");
    }

    static (ShardInfo?, string?) Read(string dir, string name)
    {
        var manifest = Path.Combine(dir, ResultsFolder.ManifestFile);
        if (!File.Exists(manifest) || !File.Exists(Path.Combine(dir, RecordsFile)))
            return (null, $"shard folder {name} has no {ResultsFolder.ManifestFile} and {RecordsFile} (an unfinished or interrupted shard): run it again");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = json.RootElement;
            var shard = root.GetProperty("shard");
            var arguments = root.GetProperty("arguments");
            var threads = string.Join(", ", root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("intra_op_threads"))
                .Where(t => t.ValueKind == JsonValueKind.Number).Select(t => t.GetInt32()).Distinct().Order().Select(t => $"intra-op threads {t}"));
            var sources = string.Join(", ", root.GetProperty("sources").EnumerateArray()
                .Select(s => $"{s.GetProperty("file").GetString()} {s.GetProperty("sha256").GetString()![..12]}"));
            return (new ShardInfo(name, shard.GetProperty("index").GetInt32(), shard.GetProperty("count").GetInt32(),
                root.GetProperty("script").GetString()!, shard.GetProperty("working_directory").GetString()!, sources,
                $"quick {arguments.GetProperty("quick").GetBoolean()}, seed {arguments.GetProperty("seed").GetInt32()}, values {arguments.GetProperty("values").GetRawText()}",
                arguments.GetProperty("values").Clone(), arguments.GetProperty("quick").GetBoolean(), arguments.GetProperty("seed").GetInt32(), threads), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, $"shard folder {name}: its {ResultsFolder.ManifestFile} is not a shard's ({e.Message}): remove the folder or run the shard again");
        }
    }

    /// <summary>The script's files and content hashes, as a shard's manifest lists them.</summary>
    internal static string Sources(IReadOnlyList<string> files) =>
        string.Join(", ", files.Select(f => $"{Path.GetFileName(f)} {Manifest.Sha256(f)[..12]}"));

    [GeneratedRegex(@"^\d+-of-\d+$")] private static partial Regex ShardName();
}
