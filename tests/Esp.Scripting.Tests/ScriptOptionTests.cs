/// <summary>
/// A --NAME VALUE the script never reads is refused before anything compiles or runs, naming the closest known
/// option; options read in #load files count; --help with a script lists what it reads.
/// </summary>
[Collection("esp-script")]
public sealed class ScriptOptionTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    // prints what it read, so a test sees whether it ran and with which values
    const string ReadsLr = """
        var lr = Args.Get("lr", 0.06);
        var schedule = Args.Get("schedule", "constant");
        Console.WriteLine($"ran with lr {lr} schedule {schedule}");
        """;

    static Dictionary<string, string> Values(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void A_misspelt_option_is_refused_before_compiling_and_the_closest_option_is_named()
    {
        var script = scratch.Write("fig19.csx", ReadsLr);
        var (code, output, err, outcome) = scratch.Run(script, values: Values(("lrr", "0.1")));

        Assert.Equal(ScriptRunner.Usage, code);
        Assert.Contains("esp-script: --lrr is not an option of fig19.csx or of esp-script; did you mean --lr?", err);
        Assert.Contains("fig19.csx reads --lr, --schedule", err);
        Assert.Contains("nothing ran; nothing was written", err);
        Assert.DoesNotContain("ran with", output);
        Assert.Null(outcome.Script);                        // not even compiled
        Assert.False(Directory.Exists(scratch.Cache));
        Assert.False(Directory.Exists(Path.Combine(scratch.Folder, "results")));
    }

    [Fact]
    public void A_built_in_option_is_suggested_too_and_every_unknown_option_is_named()
    {
        var script = scratch.Write("opts.csx", ReadsLr);
        var (code, _, err, _) = scratch.Run(script, values: Values(("quik", "1"), ("shedule", "cosine"), ("zzz", "1")));

        Assert.Equal(ScriptRunner.Usage, code);
        Assert.Contains("--quik is not an option of opts.csx or of esp-script; did you mean --quick?", err);
        Assert.Contains("--shedule is not an option of opts.csx or of esp-script; did you mean --schedule?", err);
        Assert.Contains("--zzz is not an option of opts.csx or of esp-script\n", err.ReplaceLineEndings("\n")); // nothing close
    }

    [Fact]
    public void Options_read_in_a_loaded_helper_are_known_and_reach_the_script()
    {
        scratch.Write("common.csx", "double Beta2() => Args.Get(\"beta2\", 0.999);\n");
        var script = scratch.Write("main.csx", "#load \"common.csx\"\n" + ReadsLr + "Console.WriteLine($\"beta2 {Beta2()}\");\n");
        var (code, output, err, _) = scratch.Run(script, values: Values(("beta2", "0.8"), ("lr", "0.1")));

        Assert.True(code == 0, err);
        Assert.Contains("ran with lr 0.1 schedule constant", output);
        Assert.Contains("beta2 0.8", output);
        Assert.DoesNotContain("warning", err);
    }

    [Fact]
    public void An_option_read_only_on_a_path_not_taken_is_warned_about_after_the_run()
    {
        var script = scratch.Write("branch.csx", "if (Args.Quick) Console.WriteLine(Args.Get(\"extra\", 1));\nConsole.WriteLine(\"done\");\n");
        var (code, output, err, _) = scratch.Run(script, values: Values(("extra", "2")));

        Assert.True(code == 0, err);
        Assert.Contains("done", output);
        Assert.Contains("esp-script: warning: --extra 2 was given but branch.csx never read it (no Args.Get(\"extra\", ...) ran)", err);
    }

    [Fact]
    public void A_script_that_computes_option_names_is_not_refused_but_an_unread_value_is_warned_about()
    {
        var script = scratch.Write("computed.csx", """
            foreach (var name in new[] { "a", "b" }) Console.WriteLine($"{name} = {Args.Get(name, 0)}");
            """);
        var (code, output, err, _) = scratch.Run(script, values: Values(("a", "3"), ("c", "4")));

        Assert.True(code == 0, err);
        Assert.Contains("a = 3", output);
        Assert.Contains("warning: --c 4 was given but computed.csx never read it", err);
        Assert.DoesNotContain("warning: --a", err);
    }

    [Theory]
    [InlineData("n", "abc", "--n must be an integer, got \"abc\" (values.csx(2) reads it as Args.Get(\"n\", 5)): e.g. --n 5")]
    [InlineData("n", "2.5", "--n must be an integer, got \"2.5\"")]
    [InlineData("lr", "fast", "--lr must be a number, got \"fast\" (values.csx(1) reads it as Args.Get(\"lr\", 0.06)): e.g. --lr 0.06")]
    [InlineData("plot", "yes", "--plot must be true or false, got \"yes\"")]
    public void A_value_of_the_wrong_type_is_refused_before_compiling_with_exit_code_64(string name, string value, string message)
    {
        var script = scratch.Write("values.csx", "var lr = Args.Get(\"lr\", 0.06);\nvar n = Args.Get(\"n\", 5);\nvar plot = Args.Get(\"plot\", false);\n");
        var err = new StringWriter();
        var code = ScriptRunner.Execute([script, $"--{name}", value, "--cache", scratch.Cache, "--out", Path.Combine(scratch.Folder, "out")],
            new StringWriter(), err);

        Assert.Equal(ScriptRunner.Usage, code);
        Assert.Contains($"esp-script: {message}", err.ToString());
        Assert.False(Directory.Exists(scratch.Cache) && Directory.EnumerateFiles(scratch.Cache, "*.dll").Any()); // nothing compiled
    }

    [Fact]
    public void The_command_line_refuses_a_misspelt_option_with_exit_code_64()
    {
        var script = scratch.Write("cli.csx", ReadsLr);
        var err = new StringWriter();
        var code = ScriptRunner.Execute([script, "--lrr", "0.1", "--cache", scratch.Cache, "--out", Path.Combine(scratch.Folder, "out")],
            new StringWriter(), err);

        Assert.Equal(ScriptRunner.Usage, code);
        Assert.Contains("--lrr is not an option of cli.csx or of esp-script; did you mean --lr?", err.ToString());
        Assert.Contains($"run {script} with --help to list them all", err.ToString());
    }

    [Fact]
    public void Help_with_a_script_lists_the_options_it_and_its_helpers_read_with_their_fallbacks()
    {
        scratch.Write("common.csx", "int Epochs() => Args.Get<int>(\"epochs\", Args.Quick ? 4 : 10);\n");
        var script = scratch.Write("listed.csx", "#load \"common.csx\"\n" + ReadsLr + "var n = Args.Get(\"n\", -3);\n");
        var stdout = new StringWriter();

        Assert.Equal(ScriptRunner.Ok, ScriptRunner.Execute([script, "--help"], stdout, new StringWriter()));
        var help = stdout.ToString().ReplaceLineEndings("\n");

        Assert.Contains("usage: dotnet esp-script", help);
        Assert.Contains("options of listed.csx", help);
        Assert.Matches(@"--lr +number, default 0\.06 +\[listed\.csx\(2\)\]", help);
        Assert.Matches(@"--schedule +text, default ""constant"" +\[listed\.csx\(3\)\]", help);
        Assert.Matches(@"--n +integer, default -3 ", help);
        Assert.Matches(@"--epochs +int, default computed by the script: Args\.Quick \? 4 : 10 +\[common\.csx\(1\)\]", help);
    }

    [Fact]
    public void Help_without_a_script_says_where_results_go_and_a_missing_script_is_an_error()
    {
        var stdout = new StringWriter();
        Assert.Equal(ScriptRunner.Ok, ScriptRunner.Execute(["--help"], stdout, new StringWriter()));
        Assert.Contains("results/<script name>/ in the\ncurrent directory (not beside the script)", stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Contains("exit codes:", stdout.ToString());

        var err = new StringWriter();
        Assert.Equal(ScriptRunner.Usage, ScriptRunner.Execute(["nowhere.csx", "--help"], new StringWriter(), err));
        Assert.Contains("esp-script: no script at nowhere.csx", err.ToString());
    }

    [Theory]
    [InlineData("lrr", "lr")]
    [InlineData("beat2", "beta2")]   // two letters swapped
    [InlineData("Seeds", "seeds")]
    [InlineData("sed", "seed")]
    [InlineData("x", null)]         // too short to guess
    [InlineData("momentum", null)]
    public void The_closest_option_is_a_near_typo_or_none(string given, string? expected) =>
        Assert.Equal(expected, OptionCheck.Closest(given, ["lr", "beta2", "seeds", .. OptionCheck.BuiltIn]));
}
