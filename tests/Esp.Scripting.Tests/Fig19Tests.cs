using System.Diagnostics;

/// <summary>experiments/fig19.csx at full size: its files, the paper's claims in runs.csv, and its page offline.</summary>
[Collection("esp-script")]
public sealed class Fig19Tests : IClassFixture<Fig19Tests.Fig19Run>
{
    public sealed class Fig19Run : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public string Results { get; }
        public (int Code, string Out, string Err, ScriptRunner.Outcome Outcome) Outcome { get; }

        public Fig19Run()
        {
            Results = Path.Combine(Scratch.Folder, "fig19");
            Outcome = Scratch.Run(Path.Combine(Repository.Root, "experiments", "fig19.csx"), Results);
        }

        public void Dispose() => Scratch.Dispose();
    }

    readonly Fig19Run run;
    public Fig19Tests(Fig19Run run)
    {
        this.run = run;
        Assert.True(run.Outcome.Code == 0, run.Outcome.Err);
    }

    double Metric(string sampler, double beta2, string metric)
    {
        var runs = Scratch.ReadCsv(Path.Combine(run.Results, "runs.csv"));
        var samplers = runs.GetColumn<string>("sampler").Values.ToArray();
        var beta2s = runs.GetColumn<double>("beta2").Values.ToArray();
        var values = runs.GetColumn<double>(metric).Values.ToArray();
        return values[Enumerable.Range(0, samplers.Length).Single(i => samplers[i] == sampler && beta2s[i] == beta2)];
    }

    [Fact]
    public void It_writes_the_four_result_files_and_prints_the_runs_table()
    {
        Assert.Equal(["fig19.html", "manifest.json", "runs.csv", "steps.csv"],
            Directory.GetFiles(run.Results).Select(Path.GetFileName).Order());
        Assert.Contains("sawtooth_index", run.Outcome.Out);
        Assert.Equal(8 * 1000, Scratch.ReadCsv(Path.Combine(run.Results, "steps.csv")).RowCount);
    }

    [Fact]
    public void Runs_csv_shows_the_papers_claims()
    {
        // Measured (seed 0): beta2 0.8 sawtooth / rise: shuffle 0.400 / 0.421, sequential -0.102 / -0.005,
        // with replacement -0.009 / -0.024; amplitude reverse 0.962 vs shuffle 0.421, sequential 0.054.
        // beta2 0.999 sawtooth: shuffle 0.170, sequential -0.051.
        Assert.True(Metric("shuffle", 0.8, "sawtooth_index") > 0.2);
        Assert.True(Metric("shuffle", 0.8, "rise_index") > 0.2);
        foreach (var sampler in new[] { "sequential", "with_replacement" })
        {
            Assert.InRange(Metric(sampler, 0.8, "sawtooth_index"), -0.15, 0.15);
            Assert.InRange(Metric(sampler, 0.8, "rise_index"), -0.15, 0.15);
        }
        double reverse = Metric("reverse", 0.8, "amplitude");
        Assert.All(new[] { "shuffle", "sequential", "with_replacement" },
            s => Assert.True(reverse > Metric(s, 0.8, "amplitude"), $"reverse amplitude {reverse} vs {s}"));
        Assert.True(Metric("shuffle", 0.999, "sawtooth_index") > 0);
        Assert.True(Metric("shuffle", 0.999, "sawtooth_index") > Metric("sequential", 0.999, "sawtooth_index"));
    }

    [Fact]
    public void The_page_draws_its_curves_in_headless_chromium_with_the_network_off()
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), "headless Chromium is needed for this test: apt-get install chromium (./test.sh does)");
        var page = new Uri(Path.Combine(run.Results, "fig19.html")).AbsoluteUri;
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     $"--user-data-dir={Path.Combine(run.Scratch.Folder, "chromium")}",
                     // the network is off: no proxy answers and no host name resolves
                     "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                     "--virtual-time-budget=10000", "--dump-dom", page })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var dom = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        int lines = System.Text.RegularExpressions.Regex.Matches(dom, "<path class=\"js-line\" d=\"M").Count;
        Assert.True(lines >= 8, $"expected the 8 loss curves drawn as SVG paths, found {lines}");
        Assert.Contains("sampler = with_replacement", dom);
        Assert.Contains("beta2 = 0.8", dom);
    }
}

static class Repository
{
    /// <summary>The checkout's root: the folder above the test binaries that holds Esp.sln.</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    static string Find(string from) =>
        File.Exists(Path.Combine(from, "Esp.sln")) ? from
        : Find(Path.GetDirectoryName(from.TrimEnd('/')) ?? throw new InvalidOperationException("Esp.sln not found above the tests"));
}
