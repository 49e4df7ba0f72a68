using Deedle;

/// <summary>
/// A scratch folder for scripts, results and the compiled-script cache of one test, and a way to run
/// esp-script in-process capturing what it prints (each run's Console goes to its own writers: ScriptConsole). The
/// collection runs its tests one at a time all the same: some time what they run, others spawn processes that load the cores.
/// </summary>
public sealed class Scratch : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("esp-script-test-").FullName;
    public string Cache => Path.Combine(Folder, "cache");

    public string Write(string name, string code)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, code);
        return path;
    }

    public (int Code, string Out, string Err, ScriptRunner.Outcome Outcome) Run(string script, string? outFolder = null, bool quick = false,
        IReadOnlyDictionary<string, string>? values = null, Shard? shard = null, bool resume = false)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var line = new CommandLine(script, outFolder ?? Path.Combine(Folder, "results", Path.GetFileNameWithoutExtension(script)),
            quick, 0, Cache, values, Resume: resume, Shard: shard is null ? null : new ShardSource(shard, "test"));
        var outcome = ScriptRunner.Run(line, stdout, stderr);
        return (outcome.ExitCode, stdout.ToString(), stderr.ToString(), outcome);
    }

    public static Frame<int, string> ReadCsv(string path) => Frame.ReadCsv(path);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[CollectionDefinition("esp-script", DisableParallelization = true)]
public sealed class ScriptCollection;
