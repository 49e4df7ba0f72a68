/// <summary>How esp-script compiles, caches, runs and reports scripts.</summary>
[Collection("esp-script")]
public sealed class ScriptHostTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    const string Tiny = """
        var x = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(Beta2: 0.8), Sampler.Shuffle,
                               Epochs: Args.Quick ? 4 : 5, BatchSize: 20, Seed: Args.Seed);
        var runs = Run(x, x with { Sampler = Sampler.Sequential });
        Plot.Loss(runs, plotEvery: 2, series: "sampler").Save(Args.Name);
        Console.WriteLine($"steps {runs.Steps.RowCount}");
        """;

    [Fact]
    public void A_figure_saved_after_a_script_goes_where_it_would_have_gone_before_it_not_into_the_moved_staging_folder()
    {
        var before = OutputFolder.Current;
        var (code, _, err, _) = scratch.Run(scratch.Write("tiny.csx", Tiny), quick: true);
        Assert.True(code == 0, err);
        Assert.Equal(before, OutputFolder.Current);
        using (OutputFolder.Use(scratch.Folder))
            Assert.Equal(Path.Combine(scratch.Folder, "after.html"), OutputFolder.Resolve("after.html"));
        Assert.Equal(before, OutputFolder.Current);
    }

    [Fact]
    public void Two_scripts_running_at_once_in_one_process_each_print_to_their_own_output()
    {
        string Script(string name) => scratch.Write($"{name}.csx", $$"""
            for (int k = 0; k < 50; k++)
            {
                Console.WriteLine($"{{name}} {k}");
                Run(new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20, Seed: k));
            }
            """);
        var (a, b) = (Script("alpha"), Script("beta"));
        var runs = new[] { a, b }.Select(script => Task.Run(() => scratch.Run(script))).ToArray();
        Task.WaitAll(runs);

        foreach (var (run, name) in runs.Zip(new[] { "alpha", "beta" }))
        {
            var (code, output, err, _) = run.Result;
            Assert.True(code == 0, err);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("alpha") || l.StartsWith("beta")).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(k => $"{name} {k}"), lines);
        }
    }

    [Fact]
    public void Options_passed_to_a_Run_call_are_that_calls_and_a_spike_rule_set_after_a_Run_is_refused()
    {
        var script = scratch.Write("scoped.csx", """
            var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
            try { Run(new[] { x }, EngineOptions with { RunsPerBatch = 0 }); }
            catch (InvalidExperimentException e) { Console.WriteLine("refused: " + e.Message.Split('\n')[1].Trim()); }
            Run(x);
            Console.WriteLine("ran with the script's options");
            Spikes = new ZScoreRule(Window: 20, K: 4);
            """);
        var (code, output, err, _) = scratch.Run(script);

        Assert.Contains("refused: EngineOptions.RunsPerBatch must be >= 1, got 0", output);
        Assert.Contains("ran with the script's options", output);
        Assert.Equal(ScriptRunner.InvalidDescription, code);
        Assert.Contains("Spikes = z > 4 over 20 steps comes after a Run call, but one rule counts every run of the script (so far none): " +
            "set Spikes once, before the first Run", err);
    }

    [Fact]
    public void A_script_that_does_not_compile_reports_file_line_and_column_and_writes_nothing()
    {
        var script = scratch.Write("broken.csx", "var a = 1;\n\n// the next line uses an unknown name\nvar b = a +  unknownName;\n");
        var (code, _, err, _) = scratch.Run(script);

        Assert.Equal(ScriptRunner.CompileError, code);
        Assert.Contains("broken.csx(4,14): error CS0103: The name 'unknownName' does not exist in the current context", err);
        Assert.False(Directory.Exists(Path.Combine(scratch.Folder, "results")));
    }

    [Fact]
    public void A_runtime_exception_names_the_script_line_and_exits_non_zero()
    {
        var script = scratch.Write("throws.csx", "var a = 1;\nif (a == 1)\n    throw new InvalidOperationException(\"boom at three\");\n");
        var (code, _, err, _) = scratch.Run(script);

        Assert.Equal(ScriptRunner.RuntimeError, code);
        Assert.Contains("throws.csx(3): error: InvalidOperationException: boom at three", err);
    }

    [Fact]
    public void A_runtime_exception_in_a_loaded_helper_shows_the_script_call_chain_the_users_line_first()
    {
        scratch.Write("helper.csx", "static void Explode(int level)\n{\n    if (level > 0) throw new InvalidOperationException($\"boom at {level}\");\n}\n");
        var script = scratch.Write("main.csx", "#load \"helper.csx\"\nvar level = 1;\nExplode(level);\n");
        var (code, _, err, _) = scratch.Run(script);

        Assert.Equal(ScriptRunner.RuntimeError, code);
        Assert.Contains("main.csx(3): error: InvalidOperationException: boom at 1", err);
        Assert.Contains("script frames, outermost first: main.csx(3) > helper.csx(3) Explode", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void An_invalid_description_prints_esps_message_not_a_stack_trace()
    {
        var script = scratch.Write("invalid.csx",
            "Run(new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(Beta2: 1.2), Sampler.Shuffle, BatchSize: 10));\n");
        var (code, _, err, _) = scratch.Run(script);

        Assert.Equal(ScriptRunner.InvalidDescription, code);
        Assert.Contains("Adam.Beta2 must be in [0, 1), got 1.2", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(scratch.Folder, "results")));
    }

    [Fact]
    public void A_script_sets_the_engine_options_and_a_bad_one_is_refused_before_any_run()
    {
        var runs = scratch.Write("batched.csx", """
            var x = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
            var grid = new[] { x, x with { Seed = 1 }, x with { Seed = 2 } };
            var fused = Run(grid);
            EngineOptions = EngineOptions with { RunsPerBatch = 2, Backend = Backend.Tensors };
            var tensors = Run(grid);
            Console.WriteLine($"max difference {fused.RunRecords.Zip(tensors.RunRecords).Max(p => p.First.Losses.Zip(p.Second.Losses).Max(l => Math.Abs(l.First - l.Second))):R}");
            """);
        var (code, output, err, _) = scratch.Run(runs);
        Assert.True(code == 0, err);
        double difference = double.Parse(output.Split("max difference ")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(difference, 0, 1e-12); // the fused CPU runs and the batched tensor runs agree

        var bad = scratch.Write("bad-options.csx", """
            EngineOptions = new EngineOptions(RunsPerBatch: 0);
            Run(new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, BatchSize: 10));
            """);
        (code, _, err, _) = scratch.Run(bad);
        Assert.Equal(ScriptRunner.InvalidDescription, code);
        Assert.Contains("EngineOptions.RunsPerBatch must be >= 1, got 0", err);
    }

    [Fact]
    public void A_script_can_load_a_shared_helper()
    {
        scratch.Write("helpers.csx", "static Adam PaperAdam(double beta2) => new Adam(Lr: 0.06, Beta2: beta2);\n");
        var script = scratch.Write("uses.csx", "#load \"helpers.csx\"\nConsole.WriteLine($\"beta2 {PaperAdam(0.8).Beta2}\");\n");
        var (code, output, err, _) = scratch.Run(script);

        Assert.True(code == 0, err);
        Assert.Contains("beta2 0.8", output);
    }

    [Fact]
    public void An_unchanged_script_runs_from_the_cache_and_a_changed_helper_is_recompiled()
    {
        var helper = scratch.Write("lib.csx", "static int Answer() => 41;\n");
        var script = scratch.Write("cached.csx", "#load \"lib.csx\"\nConsole.WriteLine($\"answer {Answer()}\");\n");

        var first = scratch.Run(script);
        var second = scratch.Run(script);
        File.WriteAllText(helper, "static int Answer() => 42;\n");
        var third = scratch.Run(script);

        Assert.True(first.Outcome.Script!.Compiled);
        Assert.False(second.Outcome.Script!.Compiled);
        Assert.Contains("unchanged, using its cached build", second.Err);
        Assert.Equal(first.Outcome.Script.Hash, second.Outcome.Script.Hash);
        Assert.True(third.Outcome.Script!.Compiled);
        Assert.Contains("answer 41", second.Out);
        Assert.Contains("answer 42", third.Out);
    }

    [Fact]
    public void A_corrupt_cached_build_or_index_is_compiled_again_not_loaded()
    {
        var script = scratch.Write("cached.csx", "Console.WriteLine(\"answer 41\");\n");
        Assert.True(scratch.Run(script).Outcome.Script!.Compiled);
        foreach (var kind in new[] { "*.dll", "*.index" })
        {
            foreach (var file in Directory.GetFiles(scratch.Cache, kind))
            {
                var bytes = File.ReadAllBytes(file);
                bytes[bytes.Length / 2] ^= 0x40;
                File.WriteAllBytes(file, bytes);
            }
            var again = scratch.Run(script);
            Assert.True(again.Code == 0, again.Err);
            Assert.Contains("answer 41", again.Out);
            Assert.Equal(kind == "*.dll", again.Outcome.Script!.Compiled); // a bad index is parsed afresh, and the good build reused
        }
    }

    [Fact]
    public void Results_go_to_the_out_folder_with_the_four_files()
    {
        var script = scratch.Write("tiny.csx", Tiny);
        var outFolder = Path.Combine(scratch.Folder, "elsewhere");
        var (code, output, err, _) = scratch.Run(script, outFolder);

        Assert.True(code == 0, err);
        Assert.Equal(["manifest.json", "runs.csv", "steps.csv", "tiny.html"],
            Directory.GetFiles(outFolder).Select(Path.GetFileName).Order());
        Assert.Contains("steps 100", output); // 2 runs x 5 epochs x 10 steps
        var runs = Scratch.ReadCsv(Path.Combine(outFolder, "runs.csv"));
        Assert.Equal(2, runs.RowCount);
        Assert.Equal(["shuffle", "sequential"], runs.GetColumn<string>("sampler").Values);
        Assert.Contains("\"compiled\": true", File.ReadAllText(Path.Combine(outFolder, "manifest.json")));
    }

    [Fact]
    public void Quick_mode_is_visible_to_the_script()
    {
        var script = scratch.Write("tiny.csx", Tiny);
        var (code, output, err, _) = scratch.Run(script, quick: true);
        Assert.True(code == 0, err);
        Assert.Contains("steps 80", output); // 2 runs x 4 epochs x 10 steps
    }

    [Fact]
    public void A_script_that_fails_after_some_runs_leaves_earlier_results_untouched()
    {
        var outFolder = Path.Combine(scratch.Folder, "results", "partial");
        var earlier = scratch.Write("partial.csx", Tiny);
        Assert.Equal(0, scratch.Run(earlier, outFolder).Code);
        var before = Directory.GetFiles(outFolder).ToDictionary(Path.GetFileName, File.ReadAllText);
        scratch.Write("partial.csx", Tiny + "\nthrow new Exception(\"failed after two runs\");\n");

        var (code, _, err, _) = scratch.Run(earlier, outFolder);

        Assert.Equal(ScriptRunner.RuntimeError, code);
        Assert.Contains("failed after two runs", err);
        Assert.Equal(before, Directory.GetFiles(outFolder).ToDictionary(Path.GetFileName, File.ReadAllText));
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(outFolder)!)); // no staging folder left behind
    }

    [Theory]
    [InlineData(new[] { "--seed", "x", "a.csx" }, "--seed needs a non-negative integer, got \"x\"")]
    [InlineData(new string[0], "give the script to run")]
    [InlineData(new[] { "a.csx", "b.csx" }, "only one script can run at a time")]
    [InlineData(new[] { "a.csx", "--qiuck" }, "--qiuck is not an option of esp-script; did you mean --quick?")]
    [InlineData(new[] { "a.csx", "--qiuck", "--seed", "1" }, "--qiuck is not an option of esp-script; did you mean --quick?")]
    [InlineData(new[] { "a.csx", "--resmue", "--seed", "1" }, "--resmue is not an option of esp-script; did you mean --resume?")]
    [InlineData(new[] { "a.csx", "--lr" }, "--lr is not an option of esp-script, and as a script option (--NAME VALUE) it needs a value, e.g. --lr 1")]
    public void Bad_command_lines_say_what_is_wrong_in_one_line(string[] args, string message)
    {
        var err = new StringWriter();
        Assert.Equal(ScriptRunner.Usage, ScriptRunner.Execute(args, new StringWriter(), err));
        var lines = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"esp-script: {message}", lines[0]);
        Assert.Equal("esp-script: `dotnet esp-script --help` lists the options; nothing ran", lines[1]);
        Assert.DoesNotContain("usage: dotnet esp-script", err.ToString());
    }
}
