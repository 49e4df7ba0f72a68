using System.Diagnostics;
using System.Text.Json;
using Esp;

/// <summary>Runs bench/numpy_baseline.py with Debian's /usr/bin/python3 (python3-numpy).</summary>
static class NumPyBaseline
{
    const string Python = "/usr/bin/python3";
    static readonly string Script = FindScript();

    /// <summary>Null when NumPy can run here; otherwise why not and how to fix it.</summary>
    public static string? WhyUnavailable()
    {
        if (!File.Exists(Python)) return $"{Python} not found: install Debian's python3 and python3-numpy (apt-get install python3-numpy)";
        var (code, _, error) = Exec("-c \"import numpy\"");
        return code == 0 ? null : $"NumPy is not importable by {Python} ({error.Trim()}): apt-get install python3-numpy";
    }

    /// <summary>Seconds per repetition of one of the script's grids ("fig19", "grid256").</summary>
    public static double[] Time(string grid, int repetitions)
    {
        var (code, output, error) = Exec($"\"{Script}\" time --grid {grid} --repetitions {repetitions}");
        if (code != 0) throw new InvalidOperationException($"numpy_baseline.py failed ({code}): {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("seconds").GetDouble()).ToArray();
    }

    /// <summary>
    /// Hands NumPy the problem and visiting order of <paramref name="x"/> (shuffled Adam at full size) and returns
    /// the per-step losses it computes, so that the benchmark compares the times of the same computation.
    /// </summary>
    public static double[] Replay(Experiment x)
    {
        var folder = Directory.CreateTempSubdirectory("esp-numpy-").FullName;
        try
        {
            var problem = (QuadraticProblem)x.Problem;
            var data = QuadraticData.Draw(problem, x.Seed);
            var order = new SampleOrder(x.Sampler, x.Problem.Examples, x.BatchSize, Rng.For(x.Seed, "sampler"));
            var batches = Enumerable.Range(0, x.Epochs).SelectMany(order.NextEpoch).ToArray();
            void Write<T>(string name, IEnumerable<T> values) where T : unmanaged =>
                File.WriteAllBytes(Path.Combine(folder, name + ".bin"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.ToArray().AsSpan()).ToArray());
            Write("a", data.A); Write("b", data.B); Write("c", data.C); Write("dim", data.Dim);
            Write("order", batches.SelectMany(batch => batch));
            var adam = (Adam)x.Optimizer;
            File.WriteAllText(Path.Combine(folder, "meta.json"), JsonSerializer.Serialize(new
            {
                d = x.Problem.Parameters, x0 = problem.X0, lr = adam.Lr, beta1 = adam.Beta1, beta2 = adam.Beta2, eps = adam.Eps,
                batch_sizes = batches.Select(batch => batch.Length),
            }));
            var (code, _, error) = Exec($"\"{Script}\" replay \"{folder}\"");
            if (code != 0) throw new InvalidOperationException($"numpy_baseline.py replay failed ({code}): {error}");
            var bytes = File.ReadAllBytes(Path.Combine(folder, "losses.bin"));
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    static (int Code, string Output, string Error) Exec(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, arguments)
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bench", "numpy_baseline.py")))
                return Path.Combine(dir.FullName, "bench", "numpy_baseline.py");
        throw new FileNotFoundException("bench/numpy_baseline.py not found above " + AppContext.BaseDirectory);
    }
}
