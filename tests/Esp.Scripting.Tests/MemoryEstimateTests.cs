using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>
/// The memory estimate against what a run really takes: each preset runs in a process of its own (a fresh heap, nothing
/// else in it), whose peak resident memory over the run (VmHWM, reset just before it through /proc/self/clear_refs) is
/// compared with Engine.MemoryPerRun. A warm-up run of the same model on a few examples first loads libtorch and the
/// code, so the peak is the run's own. And the default budget read from a real cgroup's limit.
/// </summary>
[Collection("esp-script")]
public sealed class MemoryEstimateTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    const string Probe = """
        static long Bytes(string field) => long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Experiment Preset(int n, int validation, int batch) => Args.Get("model", "") switch
        {
            "mlp" => new Experiment(new Network(new Mlp(784, [256, 128], 10), new FashionMnist(n, validation)), new Adam(1e-3), Sampler.Shuffle, 1, batch),
            "lenet" => new Experiment(new Network(new LeNet(), new FashionMnist(n, validation)), new Adam(1e-3), Sampler.Shuffle, 1, batch),
            _ => new Experiment(new BertPretraining(Bert.Cpu, new Fortunes(), TrainPairs: n, ValidationPairs: validation, PlotEvery: 1), new Adam(1e-3), Sampler.Shuffle, 1, batch),
        };
        Engine.Run([Preset(32, 0, 32)], TextWriter.Null);
        var x = Preset(Args.Get("n", 0), Args.Get("validation", 0), Args.Get("batch", 0));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5"); // the peak resident size starts again from the present one
        long before = Bytes("VmRSS");
        Engine.Run([x], TextWriter.Null);
        Console.WriteLine($"measured {Bytes("VmHWM") - before} estimated {Engine.MemoryPerRun(x)}");
        """;

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("mlp", 20_000, 2_000, 20_000)]   // the MLP of fmnist_esp.csx, one full-batch step on 20 000 images
    [InlineData("lenet", 4_000, 2_000, 4_000)]   // LeNet, one step of 4 000 images
    [InlineData("bert", 128, 128, 128)]          // Bert.Cpu, one step of 128 pairs with validation on 128 pairs
    public void The_estimate_is_within_2x_of_the_measured_peak(string model, int n, int validation, int batch)
    {
        scratch.Write("probe.csx", Probe);
        var (code, output, err) = EspProcess.Run(scratch.Folder, "probe.csx", "--cache", scratch.Cache,
            "--model", model, "--n", $"{n}", "--validation", $"{validation}", "--batch", $"{batch}");
        Assert.True(code == 0, err);
        var m = Regex.Match(output, @"measured (\d+) estimated (\d+)");
        Assert.True(m.Success, output);
        double measured = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), estimated = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(measured > 10e6, $"{model}: the run took only {measured / 1e6:F1} MB: the probe measured nothing");
        Assert.True(estimated >= measured / 2 && estimated <= measured * 2,
            $"{model}: estimated {estimated / 1e6:F0} MB, measured {measured / 1e6:F0} MB ({estimated / measured:F2}x)");
    }

    [Fact]
    public void The_default_budget_is_a_quarter_of_the_cgroup_s_limit_and_a_run_over_it_is_refused_before_compute()
    {
        scratch.Write("full_batch.csx", """
            var x = new Experiment(new Network(new LeNet(), new FashionMnist()), new Adam(1e-3), Sampler.Shuffle, Epochs: 1, BatchSize: 60_000);
            Run(x);
            """);
        using var cgroup = MemoryCgroup.Create(4L << 30);
        var info = new ProcessStartInfo("sh") { WorkingDirectory = scratch.Folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-c", $"echo $$ > {cgroup.Procs} && exec dotnet \"$0\" \"$@\"", EspProcess.Tool, "full_batch.csx", "--cache", scratch.Cache })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == ScriptRunner.InvalidDescription, $"exit {process.ExitCode}: {err}");
        Assert.Matches(@"experiment 0 needs about [\d.]+ GiB for one run \(N = 60000, D = 61706, batch 60000, float32\), over the memory budget of " +
            @"1\.0 GiB \(a quarter of the 4\.0 GiB this process may use\): use BatchSize <= \d+", err);
        Assert.Contains("nothing ran", err);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Folder, "*tmp-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Folder, "*.esp-lock", SearchOption.AllDirectories));
    }

    /// <summary>A memory cgroup of this machine's (v2 where its memory controller is on, else v1) with a limit, removed after.</summary>
    sealed class MemoryCgroup : IDisposable
    {
        readonly string folder;
        public string Procs => Path.Combine(folder, "cgroup.procs");

        MemoryCgroup(string folder) => this.folder = folder;

        public static MemoryCgroup Create(long limit)
        {
            string name = $"esp-test-{Guid.NewGuid():N}";
            bool v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("memory");
            var (parent, file) = v2 ? ("/sys/fs/cgroup", "memory.max") : ("/sys/fs/cgroup/memory", "memory.limit_in_bytes");
            var folder = Path.Combine(parent, name);
            try
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, file), $"{limit}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"this test makes a memory cgroup in {parent} (as root, like CI): {e.Message}", e);
            }
            return new MemoryCgroup(folder);
        }

        public void Dispose() => Directory.Delete(folder); // rmdir of an empty cgroup: its process has exited
    }
}
