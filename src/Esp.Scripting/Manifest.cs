using System.Runtime.InteropServices;
using System.Text.Json;

namespace Esp.Scripting;

/// <summary>manifest.json: what ran (script, hashes, descriptions, seeds), with what, and how long it took.</summary>
static class Manifest
{
    public static string Json(CommandLine line, CompiledScript script, IReadOnlyList<RunRecord> runs,
        DateTime started, double runSeconds, IReadOnlyList<string> files) =>
        JsonSerializer.Serialize(new
        {
            written_by = ResultsFolder.WrittenBy, // with files: what a later run may replace (ResultsFolder)
            files,
            script = line.Script,
            sources = script.SourceFiles.Select(f => new { file = Path.GetFileName(f), sha256 = Sha256(f) }),
            compiled_hash = script.Hash,
            arguments = new { quick = line.Quick, seed = line.Seed, values = line.Values },
            started_utc = started.ToString("O"),
            timings = new { compile_seconds = script.CompileSeconds, compiled = script.Compiled, run_seconds = runSeconds },
            versions = new
            {
                esp = typeof(Experiment).Assembly.GetName().Version?.ToString(),
                torchsharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
                libtorch = TorchRuntime.Loaded ? TorchSharp.torch.__version__ : "not loaded (no run took the tensor path)",
                dotnet = RuntimeInformation.FrameworkDescription,
                os = RuntimeInformation.OSDescription,
                cores = Environment.ProcessorCount,
            },
            runs = runs.Select(r => new
            {
                run = r.Run,
                description = r.Experiment.ToString(),
                seed = r.Experiment.Seed,
                status = r.Status.ToString().ToLowerInvariant(),
                steps = r.StepsTaken,
                seconds = r.Seconds,
                message = r.Message,
            }),
        }, new JsonSerializerOptions { WriteIndented = true });

    static string Sha256(string file) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant();
}
