using System.Diagnostics;

/// <summary>
/// `--out` never loses a file: esp-script replaces only a new or empty folder or one it wrote itself, refuses
/// everything else before compiling, and an interrupt leaves the previous results and no temporary folder.
/// The dangerous cases run the real tool as a separate process in a throwaway folder.
/// </summary>
[Collection("esp-script")]
public sealed class OutFolderTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    const string Small = """
        var x = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
        Run(x);
        """;

    static void Sh(string command, params string[] args)
    {
        using var p = Process.Start(command, args)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{command} {string.Join(" ", args)} failed");
    }

    [Fact]
    public void An_immutable_results_folder_or_a_read_only_mount_is_refused_before_compiling_with_the_systems_reason()
    {
        var script = scratch.Write("small.csx", Small);
        var results = Path.Combine(scratch.Folder, "results");
        Assert.Equal(0, scratch.Run(script, results).Code);
        var before = File.ReadAllText(Path.Combine(results, "steps.csv"));
        Sh("chattr", "+i", results);
        try
        {
            var (code, _, err, outcome) = scratch.Run(script, results);
            Assert.Equal(ScriptRunner.Usage, code);
            Assert.Null(outcome.Script); // refused before compiling
            Assert.Contains($"cannot write {results}: ", err);
            Assert.Contains("Operation not permitted", err);
        }
        finally { Sh("chattr", "-i", results); }
        Assert.Equal(before, File.ReadAllText(Path.Combine(results, "steps.csv")));

        var mount = Path.Combine(scratch.Folder, "ro");
        Directory.CreateDirectory(mount);
        Sh("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount);
        try
        {
            var (code, _, err, _) = scratch.Run(script, Path.Combine(mount, "results"));
            Assert.Equal(ScriptRunner.Usage, code);
            Assert.Contains($"cannot write {mount}/results: ", err);
            Assert.Contains("Read-only file system", err);
            Assert.DoesNotContain("another esp-script", err);
        }
        finally { Sh("umount", mount); }
    }

    [Fact]
    public void What_a_killed_run_left_beside_the_results_is_cleared_by_the_next_run_which_says_so()
    {
        var script = scratch.Write("small.csx", Small);
        var parent = Path.Combine(scratch.Folder, "results");
        var staging = Path.Combine(parent, "small.tmp-0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "steps.csv"), "partial");
        File.WriteAllText(Path.Combine(parent, ".other.esp-lock"), ""); // its process is gone: nobody holds the flock
        var old = Path.Combine(parent, "sweep.old-fedcba9876543210fedcba9876543210"); // killed mid-swap: sweep/ is missing
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "runs.csv"), "previous results");

        var (code, _, err, _) = scratch.Run(script);
        Assert.True(code == 0, err);
        Assert.Contains($"esp-script: removed {staging}, left by an esp-script that no longer runs", err);
        Assert.Contains($"esp-script: removed the lock {Path.Combine(parent, ".other.esp-lock")}, left by an esp-script that no longer runs", err);
        Assert.Contains($"esp-script: put back {Path.Combine(parent, "sweep")} from {old}", err);
        Assert.Equal("previous results", File.ReadAllText(Path.Combine(parent, "sweep", "runs.csv")));
        Assert.Equal(["small", "sweep"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Order());
    }

    /// <summary>A throwaway checkout-like folder: a .git directory and some of the user's files.</summary>
    string Checkout()
    {
        var root = Path.Combine(scratch.Folder, "checkout");
        Directory.CreateDirectory(Path.Combine(root, ".git", "objects"));
        File.WriteAllText(Path.Combine(root, ".git", "HEAD"), "ref: refs/heads/main\n");
        Directory.CreateDirectory(Path.Combine(root, "src"));
        File.WriteAllText(Path.Combine(root, "src", "work.cs"), "// a user's file\n");
        File.WriteAllText(Path.Combine(root, "small.csx"), Small);
        return root;
    }

    static string[] Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order().ToArray();

    [Theory]
    [InlineData(".", "is the current directory")]
    [InlineData("src/..", "is the current directory")]
    [InlineData("..", "is an ancestor of the current directory")]
    [InlineData("src", "holds files that Esp did not write (no Esp manifest.json there; it holds work.cs)")]
    [InlineData("small.csx", "is a file, not a folder")]
    public void A_real_esp_script_refuses_an_out_folder_it_would_destroy_and_leaves_the_checkout_whole(string outFolder, string why)
    {
        var root = Checkout();
        var before = Tree(root);
        var parentBefore = Tree(scratch.Folder);

        var (code, _, err) = EspProcess.Run(root, "small.csx", "--out", outFolder, "--cache", scratch.Cache);

        Assert.Equal(64, code);
        Assert.Contains($"esp-script: --out {outFolder}: ", err);
        Assert.Contains(why, err);
        Assert.Contains("nothing ran; nothing was written", err);
        Assert.Equal(before, Tree(root));
        Assert.Equal(parentBefore, Tree(scratch.Folder));
    }

    [Fact]
    public void A_repository_root_a_mount_point_and_a_folder_of_the_users_are_refused_before_compiling()
    {
        var root = Checkout();
        var keep = Path.Combine(scratch.Folder, "mine");
        Directory.CreateDirectory(keep);
        File.WriteAllText(Path.Combine(keep, "keep.txt"), "precious\n");
        var broken = scratch.Write("broken.csx", "var a = ;\n"); // a refusal must come before the compile error

        Assert.Contains("is the root of a repository", RefusalOf(broken, root));
        Assert.Contains("/proc is a mount point", RefusalOf(broken, "/proc"));
        Assert.Contains("holds files that Esp did not write (no Esp manifest.json there; it holds keep.txt)", RefusalOf(broken, keep));
        Assert.Equal("precious\n", File.ReadAllText(Path.Combine(keep, "keep.txt")));
        Assert.Equal(Tree(root), Tree(Checkout()));
    }

    string RefusalOf(string script, string outFolder)
    {
        var (code, _, err, _) = scratch.Run(script, outFolder);
        Assert.Equal(ScriptRunner.Usage, code);
        Assert.DoesNotContain("error CS", err);
        return err;
    }

    [Fact]
    public void Esp_replaces_its_own_results_but_not_a_file_someone_added_to_them()
    {
        var script = scratch.Write("small.csx", Small);
        var outFolder = Path.Combine(scratch.Folder, "results", "small");
        Assert.Equal(0, scratch.Run(script, outFolder).Code);
        Assert.Equal(0, scratch.Run(script, outFolder).Code); // its own folder: replaced

        File.WriteAllText(Path.Combine(outFolder, "notes.txt"), "my notes\n");
        var (code, _, err, _) = scratch.Run(script, outFolder);

        Assert.Equal(ScriptRunner.Usage, code);
        Assert.Contains("holds files that Esp did not write (notes.txt; its manifest.json lists the rest)", err);
        Assert.Equal("my notes\n", File.ReadAllText(Path.Combine(outFolder, "notes.txt")));
    }

    [Fact]
    public void A_file_put_into_the_results_folder_while_the_script_runs_is_kept_and_the_new_results_go_beside_it()
    {
        var outFolder = Path.Combine(scratch.Folder, "results", "busy");
        var script = scratch.Write("busy.csx", Small);
        Assert.Equal(0, scratch.Run(script, outFolder).Code);
        var previous = File.ReadAllText(Path.Combine(outFolder, "steps.csv"));
        // the user saves notes into the folder while the script runs (here: the script does it for them)
        scratch.Write("busy.csx", Small + $"\nFile.WriteAllText(@\"{Path.Combine(outFolder, "notes.md")}\", \"mine\");\n");

        var (code, _, err, _) = scratch.Run(script, outFolder);

        Assert.Equal(ScriptRunner.RuntimeError, code);
        Assert.Contains($"{outFolder} changed while the script ran", err);
        Assert.Contains("nothing was replaced, the new results are in", err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outFolder, "notes.md")));
        Assert.Equal(previous, File.ReadAllText(Path.Combine(outFolder, "steps.csv")));
        var kept = Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(outFolder)!, "busy.new-*"));
        Assert.True(File.Exists(Path.Combine(kept, "steps.csv")));
    }

    [Fact]
    public void A_folder_inside_one_another_script_is_writing_is_refused()
    {
        var outer = Path.Combine(scratch.Folder, "results", "outer");
        var (first, _) = ResultsFolder.Claim(outer, scratch.Folder);
        using (first)
        {
            var (inner, refusal) = ResultsFolder.Claim(Path.Combine(outer, "sub"), scratch.Folder);
            Assert.Null(inner);
            Assert.Contains($"is inside {outer}, which another esp-script is writing now", refusal);
        }
    }

    [Fact]
    public void A_second_script_writing_the_same_folder_is_refused_while_the_first_holds_it()
    {
        var outFolder = Path.Combine(scratch.Folder, "results", "shared");
        var (first, _) = ResultsFolder.Claim(outFolder, scratch.Folder);
        Assert.NotNull(first);
        using (first)
        {
            var (second, refusal) = ResultsFolder.Claim(outFolder, scratch.Folder);
            Assert.Null(second);
            Assert.Contains($"another esp-script is writing {outFolder} now", refusal);
            Assert.Contains("wait for it to finish, or give this run another --out", refusal);
        }
        var (third, _) = ResultsFolder.Claim(outFolder, scratch.Folder); // released with the first
        Assert.NotNull(third);
        third!.Dispose();
    }

    [Theory]
    [InlineData("INT", 130, "SIGINT")]
    [InlineData("TERM", 143, "SIGTERM")]
    public void An_interrupted_script_stops_promptly_keeps_the_previous_results_and_leaves_no_temporary_folder(
        string signal, int exitCode, string name)
    {
        var root = scratch.Folder;
        File.WriteAllText(Path.Combine(root, "long.csx"), """
            var quick = new Experiment(new QuadraticProblem(N: 200, D: 200), new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
            // 2 million steps of batch 1 000, over a minute (200 000 full-batch steps took only about 3 s, so on a loaded machine the
            // run could end before the signal came): the interrupt must not wait for it
            var slow = new Experiment(new QuadraticProblem(N: 10000, D: 10000), new Adam(), Sampler.Shuffle, Epochs: 200000, BatchSize: 1000);
            Run(Args.Get("slow", 0) == 1 ? slow : quick);
            """);
        Assert.Equal(0, EspProcess.Run(root, "long.csx", "--cache", scratch.Cache).Code);
        var results = Path.Combine(root, "results", "long");
        var previous = File.ReadAllText(Path.Combine(results, "steps.csv"));

        var process = EspProcess.Start(root, "long.csx", "--cache", scratch.Cache, "--slow", "1");
        var err = new System.Text.StringBuilder();
        var running = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (err) err.AppendLine(e.Data);
            if (e.Data?.Contains("using its cached build") == true) running.Set();
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        Assert.True(running.Wait(TimeSpan.FromSeconds(60)), $"the script did not start: {err}");
        Thread.Sleep(1000); // inside the engine's step loop
        var clock = Stopwatch.StartNew();
        Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "esp-script did not stop after the signal");
        process.WaitForExit(); // flushes the error stream

        Assert.Equal(exitCode, process.ExitCode);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, Interrupt.Grace.TotalSeconds); // stopped by the engine, not the grace timer
        Assert.Contains($"esp-script: {name} received: stopping the runs", err.ToString());
        Assert.Contains($"esp-script: stopped by {name}", err.ToString());
        Assert.Equal(previous, File.ReadAllText(Path.Combine(results, "steps.csv")));
        Assert.Equal(["long"], Directory.GetFileSystemEntries(Path.Combine(root, "results")).Select(Path.GetFileName));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void An_interrupted_script_continues_with_resume_and_gives_the_numbers_of_an_uninterrupted_run()
    {
        var root = scratch.Folder;
        File.WriteAllText(Path.Combine(root, "net.csx"), """
            EngineOptions = EngineOptions with { CheckpointEvery = 1 };
            var problem = new Network(new Mlp(14, [64, 32], 4, Dropout: 0.1), new SyntheticTabular());
            Run(new Experiment(problem, new Adam(1e-3), Sampler.Shuffle, Epochs: 600, BatchSize: 32));
            """);
        Assert.Equal(0, EspProcess.Run(root, "net.csx", "--cache", scratch.Cache, "--out", "whole").Code);

        var process = EspProcess.Start(root, "net.csx", "--cache", scratch.Cache);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var checkpoints = Path.Combine(root, "results", "net.checkpoints");
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints).Length >= 10) && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(50);
        Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(130, process.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(root, "results", "net")));
        int saved = Directory.GetFiles(checkpoints).Length;
        Assert.InRange(saved, 10, 599); // interrupted part-way (600 epochs: a loaded machine's test may look late, and the run must still be going)

        var (code, _, err) = EspProcess.Run(root, "net.csx", "--cache", scratch.Cache, "--resume");
        Assert.True(code == 0, err);
        Assert.Contains("resumed from the checkpoint after epoch", err);
        Assert.Equal(File.ReadAllText(Path.Combine(root, "whole", "steps.csv")), File.ReadAllText(Path.Combine(root, "results", "net", "steps.csv")));
    }
}

/// <summary>The esp-script tool run as its own process (the build next to the tests), for signals and working directories.</summary>
static class EspProcess
{
    public static string Tool => Path.ChangeExtension(typeof(ScriptRunner).Assembly.Location, ".dll");

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts the tool with <paramref name="environment"/> added to this process's variables.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(Tool);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int Code, string Out, string Err) Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, err);
    }
}
