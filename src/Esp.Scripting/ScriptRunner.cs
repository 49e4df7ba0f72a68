using System.Diagnostics;

namespace Esp.Scripting;

/// <summary>
/// Runs one script end to end: refuse a --NAME it never reads (<see cref="OptionCheck"/>), compile (or reuse the
/// cached build), execute with Args and Run, then write steps.csv, runs.csv, the script's figures and
/// manifest.json into a staging folder that replaces the results folder only when everything succeeded. Nothing is touched on failure or interrupt, and a folder
/// Esp did not write is refused before anything compiles (<see cref="ResultsFolder"/>).
/// </summary>
public static class ScriptRunner
{
    public const int Ok = 0, CompileError = 1, RuntimeError = 2, InvalidDescription = 3, Usage = 64;

    /// <summary>The exit code, after printing results and errors to <paramref name="stdout"/> / <paramref name="stderr"/>.</summary>
    public static int Execute(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool liveProgress = false,
        Func<string, string?>? environment = null)
    {
        if (args.Count > 0 && args[0] == "diagnose") return Diagnose.Execute(args.Skip(1).ToList(), stdout, stderr);
        if (args.Count > 0 && args[0] == "merge")
        {
            using var mergeInterrupt = Interrupt.OnSignals(stderr);
            return ShardMerge.Execute(args.Skip(1).ToList(), stdout, stderr, mergeInterrupt);
        }
        var (line, usageError) = CommandLine.Parse(args, environment);
        if (line is { Help: true }) return Help(line, stdout, stderr);
        if (line is null)
        {
            if (usageError is null)
            {
                stdout.WriteLine(CommandLine.Usage);
                return Ok;
            }
            // the error alone: the whole usage text after it buries the one line that matters
            stderr.WriteLine($"esp-script: {usageError}");
            stderr.WriteLine("esp-script: `dotnet esp-script --help` lists the options; nothing ran");
            return Usage;
        }
        using var interrupt = Interrupt.OnSignals(stderr);
        return Run(line, stdout, stderr, liveProgress, interrupt).ExitCode;
    }

    /// <summary>The usage text, then the options the script reads.</summary>
    static int Help(CommandLine line, TextWriter stdout, TextWriter stderr)
    {
        stdout.WriteLine(CommandLine.Usage);
        stdout.WriteLine();
        try
        {
            stdout.Write(ScriptHelp.Text(ScriptCompiler.Parse(line.Script)));
            return Ok;
        }
        catch (FileNotFoundException e)
        {
            stderr.WriteLine($"esp-script: {e.Message}: give the path of a .csx script, relative to the current directory");
            return Usage;
        }
    }

    /// <summary>What a script run did (for tests and the benchmark).</summary>
    public sealed record Outcome(int ExitCode, CompiledScript? Script, string? OutputFolder);

    /// <summary>
    /// Runs <paramref name="line"/>'s script. With a shard (<see cref="CommandLine.Shard"/>), only its slice of each
    /// grid runs and its folder gets the records and the manifest, never figures or summaries: the script's own output
    /// is withheld, and the script's code failing on partial results after its Run calls is noted, not fatal. With
    /// <paramref name="recorded"/> runs (<see cref="ShardMerge"/>), Run returns them instead of computing, and the
    /// script writes exactly what a single machine's run writes.
    /// </summary>
    public static Outcome Run(CommandLine line, TextWriter stdout, TextWriter stderr, bool liveProgress = false,
        Interrupt? interrupt = null, IReadOnlyDictionary<int, StoredRun>? recorded = null, IReadOnlyList<string>? mergedFrom = null)
    {
        var started = DateTime.UtcNow;
        var (folder, refusal) = ResultsFolder.Claim(line.OutputFolder, Directory.GetCurrentDirectory());
        if (folder is null)
        {
            stderr.WriteLine($"esp-script: {refusal}");
            stderr.WriteLine("esp-script: nothing ran; nothing was written");
            return new Outcome(Usage, null, null);
        }
        using var claimed = folder;
        foreach (var cleared in folder.Cleared) stderr.WriteLine($"esp-script: {cleared}");
        using var ownInterrupt = interrupt is null ? new Interrupt(stderr) : null;
        interrupt ??= ownInterrupt!;
        ParsedScript parsed;
        try { parsed = ScriptCompiler.Parse(line.Script, line.CacheFolder ?? ScriptCompiler.DefaultCacheFolder); }
        catch (FileNotFoundException e)
        {
            stderr.WriteLine($"esp-script: {e.Message}");
            return new Outcome(Usage, null, null);
        }
        // a misspelt option is refused before the compile and the compute; a syntax error is the compiler's to report
        if (!parsed.HasSyntaxErrors && OptionCheck.Errors(line, parsed) is { Count: > 0 } optionErrors)
        {
            foreach (var error in optionErrors) stderr.WriteLine($"esp-script: {error}");
            stderr.WriteLine("esp-script: nothing ran; nothing was written");
            return new Outcome(Usage, null, null);
        }
        CompiledScript script;
        try
        {
            script = ScriptCompiler.Load(parsed, line.CacheFolder ?? ScriptCompiler.DefaultCacheFolder);
        }
        catch (ScriptCompilationException e)
        {
            foreach (var error in e.Errors) stderr.WriteLine(error);
            stderr.WriteLine($"esp-script: {Path.GetFileName(line.Script)} does not compile; no results were written");
            return new Outcome(CompileError, null, null);
        }
        stderr.WriteLine(script.Compiled
            ? $"esp-script: compiled {Path.GetFileName(line.Script)} in {script.CompileSeconds:F2} s"
            : $"esp-script: {Path.GetFileName(line.Script)} unchanged, using its cached build {script.Hash}");

        var output = folder.Path;
        var clock = Stopwatch.StartNew();
        Func<int> finished = () => 0; // runs that had finished when the script stopped
        try
        {
            AtomicFile.WriteFolder(output, recheck: folder.ChangedSinceClaim, fill: staging =>
            {
                interrupt.OnForcedExit(() => Directory.Delete(staging, recursive: true));
                var shard = line.Shard;
                // a shard's figures and tables would show partial results: they go to a folder that is then removed
                var partial = shard is null ? null : Directory.CreateDirectory(Path.Combine(staging, "partial")).FullName;
                using var outputs = OutputFolder.Use(partial ?? staging);
                using var images = PageImages.Use(line.Images && shard is null);
                var arguments = new ScriptArgs(line);
                using var progress = new Progress(stderr, liveProgress);
                var globals = new ScriptGlobals(arguments, progress, interrupt.Token,
                    EngineOptions.Default with
                    {
                        CheckpointFolder = line.CheckpointFolder, Resume = line.Resume,
                        TensorBoard = line.TensorBoard is null ? null : Path.GetFullPath(line.TensorBoard),
                    },
                    shard?.Shard, recorded);
                finished = () => globals.Records.Count;
                string? scriptError = null;
                using (ScriptConsole.Use(shard is null ? stdout : TextWriter.Null)) // scripts print with Console.WriteLine
                try { script.Run(globals).GetAwaiter().GetResult(); }
                catch (Exception e) when (shard is not null && globals.Grids.Count > 0 && !globals.InRun
                                          && e is not (InvalidExperimentException or ShardMismatchException) && !IsCancellation(e))
                {
                    scriptError = $"{e.GetType().Name}: {e.Message}";
                    stderr.WriteLine($"esp-script: note: after this shard's Run calls the script threw {scriptError}; its code " +
                        "may need the whole grid, which only the merge has. The shard's runs are kept; a Run call that was not " +
                        "reached is reported by the merge");
                }
                foreach (var name in arguments.Unread)
                    stderr.WriteLine($"esp-script: warning: --{name} {line.Values![name]} was given but " +
                        $"{Path.GetFileName(line.Script)} never read it (no Args.Get(\"{name}\", ...) ran): this run did not use it");
                if (shard is not null)
                {
                    Directory.Delete(partial!, recursive: true);
                    RecordFile.Write(Path.Combine(staging, ShardMerge.RecordsFile), globals.Records);
                    stderr.WriteLine($"esp-script: shard {shard.Shard.Name} ({shard.Source}): {globals.Records.Count} of " +
                        $"{globals.Grids.Sum(g => g.Experiments.Count)} runs; no figures or summaries until " +
                        $"dotnet esp-script merge {line.ResultsRoot}");
                }
                else
                {
                    if (recorded is not null && recorded.Keys.Except(globals.Replayed).Order().ToList() is { Count: > 0 } unused)
                        throw new ShardMismatchException($"the shards hold runs that the script does not make now (runs " +
                            $"{string.Join(", ", unused.Take(5))}{(unused.Count > 5 ? ", ..." : "")}): re-run the shards");
                    long rows = globals.Records.Sum(r => (long)r.StepsTaken);
                    if (globals.Records.Count > 0) new Results(globals.Records, globals.Spikes).Save(staging, written => progress.Writing(written, rows));
                    if (globals.ClaimResults.Count > 0) ClaimsFile.Save(globals.ClaimResults, staging);
                }
                interrupt.Token.ThrowIfCancellationRequested(); // a script that caught the cancellation still stops
                AtomicFile.WriteText(Path.Combine(staging, "manifest.json"),
                    Manifest.Json(line, script, globals, started, clock.Elapsed.TotalSeconds,
                        Directory.EnumerateFileSystemEntries(staging).Select(Path.GetFileName).Order().ToList()!, scriptError, mergedFrom));
            }, carry: [ShardMerge.ShardsFolder]);
        }
        catch (ShardMismatchException e)
        {
            stderr.WriteLine($"esp-script: merge: {e.Message}");
            stderr.WriteLine("esp-script: nothing was written");
            return new Outcome(Usage, script, null);
        }
        catch (InvalidExperimentException e)
        {
            stderr.WriteLine($"esp-script: {e.Message}");
            stderr.WriteLine(finished() == 0 ? "esp-script: nothing ran; no results were written"
                : $"esp-script: {finished()} runs of earlier Run calls had finished; the script stopped at this one and no results were written");
            return new Outcome(InvalidDescription, script, null);
        }
        catch (Exception e) when (interrupt.Signal is not null && IsCancellation(e))
        {
            stderr.WriteLine($"esp-script: stopped by {interrupt.SignalName} after {clock.Elapsed.TotalSeconds:F1} s; " +
                $"temporary output removed, {Path.GetFileName(output)}/ left as it was");
            return new Outcome(interrupt.ExitCode, script, null);
        }
        catch (Exception e)
        {
            var (at, chain) = ScriptCallSites.Describe(e, script.SourceFiles);
            stderr.WriteLine($"{at}error: {e.GetType().Name}: {e.Message}");
            if (chain != "") stderr.WriteLine(chain);
            stderr.WriteLine($"esp-script: {Path.GetFileName(line.Script)} failed; no results were written");
            return new Outcome(RuntimeError, script, null);
        }
        stdout.WriteLine($"esp-script: results in {Path.GetRelativePath(Directory.GetCurrentDirectory(), output)}/ ({clock.Elapsed.TotalSeconds:F1} s)");
        return new Outcome(Ok, script, output);
    }

    static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e.InnerException is { } inner && IsCancellation(inner);
}
