using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Esp.Scripting;

/// <summary>
/// manifest.json: what ran (script, hashes, descriptions, seeds), with what, and how long it took. Written field by
/// field with Utf8JsonWriter: a reflection-based serializer's first use costs a warm start about 30 ms.
/// </summary>
static class Manifest
{
    /// <summary>The manifest; a shard's also names its shard, its source, every grid whole with its slice, and the
    /// script's error on partial results if any; a merge's names the shards it joined.</summary>
    public static string Json(CommandLine line, CompiledScript script, ScriptGlobals globals,
        DateTime started, double runSeconds, IReadOnlyList<string> files, string? scriptError = null, IReadOnlyList<string>? mergedFrom = null)
    {
        var runs = globals.Records;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("written_by", ResultsFolder.WrittenBy); // with files: what a later run may replace (ResultsFolder)
            Strings(w, "files", files);
            w.WriteString("script", line.Script);
            w.WriteStartArray("sources");
            foreach (var f in script.SourceFiles)
            {
                w.WriteStartObject();
                w.WriteString("file", Path.GetFileName(f));
                w.WriteString("sha256", Sha256(f));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("compiled_hash", script.Hash);
            w.WriteStartObject("arguments");
            w.WriteBoolean("quick", line.Quick);
            w.WriteNumber("seed", line.Seed);
            w.WriteBoolean("resume", line.Resume);
            w.WriteStartObject("values");
            foreach (var (name, value) in line.Values ?? new Dictionary<string, string>()) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("started_utc", started.ToString("O"));
            w.WriteStartObject("timings");
            w.WriteNumber("compile_seconds", script.CompileSeconds);
            w.WriteBoolean("compiled", script.Compiled);
            w.WriteNumber("run_seconds", runSeconds);
            w.WriteEndObject();
            w.WriteStartObject("versions");
            w.WriteString("esp", typeof(Experiment).Assembly.GetName().Version?.ToString());
            w.WriteString("torchsharp", typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString());
            w.WriteString("libtorch", TorchRuntime.Loaded ? TorchSharp.torch.__version__ : "not loaded (no run took the tensor path)");
            w.WriteString("dotnet", RuntimeInformation.FrameworkDescription);
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteEndObject();
            w.WriteStartArray("runs");
            foreach (var r in runs)
            {
                w.WriteStartObject();
                w.WriteNumber("run", r.Run);
                w.WriteString("description", r.Experiment.ToString());
                w.WriteNumber("seed", r.Experiment.Seed);
                w.WriteString("status", r.Status.ToString().ToLowerInvariant());
                w.WriteNumber("steps", r.StepsTaken);
                w.WriteNumber("seconds", r.Seconds);
                if (r.IntraOpThreads is int threads) w.WriteNumber("intra_op_threads", threads); // a numerical setting of CPU tensor runs
                else w.WriteNull("intra_op_threads");
                w.WriteString("message", r.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (line.Shard is { } shard) Shard(w, shard, globals.Grids, scriptError);
            if (mergedFrom is not null) Strings(w, "merged_from", mergedFrom);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Which shard this is and where it came from, and every grid whole (the merge checks them) with the slice run here.</summary>
    static void Shard(Utf8JsonWriter w, ShardSource shard, IReadOnlyList<ScriptGlobals.Grid> grids, string? scriptError)
    {
        w.WriteStartObject("shard");
        w.WriteNumber("index", shard.Shard.Index);
        w.WriteNumber("count", shard.Shard.Count);
        w.WriteString("source", shard.Source);
        w.WriteString("working_directory", Directory.GetCurrentDirectory());
        w.WriteString("script_error", scriptError);
        w.WriteEndObject();
        w.WriteStartArray("grids");
        foreach (var grid in grids)
        {
            w.WriteStartObject();
            w.WriteNumber("first_run", grid.FirstRun);
            Strings(w, "descriptions", grid.Experiments.Select(x => x.ToString()));
            w.WriteStartArray("slice");
            foreach (var i in grid.Slice) w.WriteNumberValue(grid.FirstRun + i);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    internal static string Sha256(string file) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant();
}
