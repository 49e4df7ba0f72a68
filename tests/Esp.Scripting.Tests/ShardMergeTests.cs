using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// A script run as shards (--shard i/n, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX in separate processes) and
/// merged writes the single machine's files; shards that do not make one run are refused, naming them, with nothing
/// written.
/// </summary>
[Collection("esp-script")]
public sealed class ShardMergeTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    // Two Run calls (8 runs of unequal length), a figure, a printed summary, and code that needs the whole grid.
    const string Sweep = """
        var problem = new QuadraticProblem(N: 200, D: 200);
        var runs = Run(from beta2 in new[] { 0.999, 0.9, 0.8 }
                       from seed in new[] { 0, 1 }
                       select new Experiment(problem, new Adam(Beta2: beta2), Sampler.Shuffle, Epochs: 4 + seed, BatchSize: 10, Seed: seed));
        var more = Run(new Experiment(problem, new Sgd(Lr: 0.01), Sampler.Sequential, Epochs: 4, BatchSize: 20),
                       new Experiment(problem, new RmsProp(), Sampler.Shuffle, Epochs: 4, BatchSize: 20));
        Plot.Loss(runs, plotEvery: 5, panels: "beta2", series: "seed").Save("sweep");
        Report.Summary(runs);
        if (runs.RunRecords.Count != 6) throw new InvalidOperationException($"this line needs the whole grid, got {runs.RunRecords.Count} runs");
        Console.WriteLine($"last run: {more.RunRecords[^1].Run}");
        """;

    string Whole(string script)
    {
        var folder = Path.Combine(scratch.Folder, "whole");
        var (code, output, err, _) = scratch.Run(script, folder);
        Assert.True(code == 0, err);
        File.WriteAllText(Path.Combine(scratch.Folder, "whole.out"), output);
        return folder;
    }

    (int Code, string Out, string Err) Merge(string folder)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = ScriptRunner.Execute(["merge", folder, "--cache", scratch.Cache], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    void Shards(string script, string folder, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var (code, output, err, _) = scratch.Run(script, folder, shard: new Shard(i, count));
            Assert.True(code == 0, err);
            Assert.Equal(["esp-script: results in"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..22])); // the script's prints are withheld
        }
    }

    /// <summary>The merged folder holds the single machine's files: the same bytes but for runs.csv's seconds and the manifest's timings.</summary>
    void AssertSameAsWhole(string whole, string merged, string mergeOutput)
    {
        Assert.Equal(Directory.GetFiles(whole).Select(Path.GetFileName).Order(), Directory.GetFiles(merged).Select(Path.GetFileName).Order());
        foreach (var file in new[] { "steps.csv", "sweep.html" })
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(merged, file))), $"{file} differs");
        static IEnumerable<string> WithoutSeconds(string path)
        {
            var lines = File.ReadAllLines(path);
            int seconds = lines[0].Split(',').ToList().IndexOf("seconds");
            return lines.Select(l => string.Join(",", l.Split(',').Where((_, k) => k != seconds)));
        }
        Assert.Equal(WithoutSeconds(Path.Combine(whole, "runs.csv")), WithoutSeconds(Path.Combine(merged, "runs.csv")));
        static string Untimed(string path)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(path, "manifest.json")))!.AsObject();
            foreach (var key in new[] { "started_utc", "timings", "merged_from" }) json.Remove(key);
            foreach (var run in json["runs"]!.AsArray()) run!.AsObject().Remove("seconds");
            return json.ToJsonString();
        }
        Assert.Equal(Untimed(whole).Replace(whole, merged), Untimed(merged));
        var printed = File.ReadAllText(Path.Combine(scratch.Folder, "whole.out"));
        string Body(string text) => string.Join("\n", text.Split('\n').Where(l => !l.StartsWith("esp-script: results in")));
        Assert.Equal(Body(printed), Body(mergeOutput));
    }

    [Fact]
    public void Three_shards_merge_into_the_single_machines_files_and_each_shard_lists_the_whole_grid_and_its_slice()
    {
        var script = scratch.Write("sweep.csx", Sweep);
        var whole = Whole(script);
        var folder = Path.Combine(scratch.Folder, "sharded");
        Shards(script, folder, 3);

        var slices = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            var shard = Path.Combine(folder, "shards", $"{i}-of-3");
            Assert.Equal(["manifest.json", "records.bin"], Directory.GetFileSystemEntries(shard).Select(Path.GetFileName).Order());
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(shard, "manifest.json"))).RootElement;
            Assert.Equal(i, manifest.GetProperty("shard").GetProperty("index").GetInt32());
            Assert.Equal("test", manifest.GetProperty("shard").GetProperty("source").GetString());
            var grids = manifest.GetProperty("grids").EnumerateArray().ToList();
            Assert.Equal([0, 6], grids.Select(g => g.GetProperty("first_run").GetInt32()));
            Assert.Equal([6, 2], grids.Select(g => g.GetProperty("descriptions").GetArrayLength()));
            var slice = grids.SelectMany(g => g.GetProperty("slice").EnumerateArray().Select(r => r.GetInt32())).ToList();
            Assert.Equal(slice, manifest.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run").GetInt32()));
            slices.AddRange(slice);
            // the script's last lines need the whole grid: noted, not fatal (the merge runs them)
            Assert.StartsWith("InvalidOperationException: this line needs the whole grid", manifest.GetProperty("shard").GetProperty("script_error").GetString());
        }
        Assert.Equal(Enumerable.Range(0, 8), slices.Order());

        var (code, output, err) = Merge(folder);
        Assert.True(code == 0, err);
        Assert.Contains("merging 8 runs from 3 shards", err);
        AssertSameAsWhole(whole, folder, output);
        Assert.True(Directory.Exists(Path.Combine(folder, "shards", "2-of-3"))); // kept: a second merge works too
        Assert.Equal(0, Merge(folder).Code);
    }

    [Fact]
    public void Missing_mismatched_and_renamed_shards_or_a_changed_script_are_refused_by_name_and_nothing_is_overwritten()
    {
        var script = scratch.Write("sweep.csx", Sweep);
        var folder = Path.Combine(scratch.Folder, "sharded");
        Shards(script, folder, 3);
        Assert.Equal(0, Merge(folder).Code);
        var before = File.ReadAllBytes(Path.Combine(folder, "steps.csv"));
        var shards = Path.Combine(folder, "shards");

        void Refused(params string[] expected)
        {
            var (code, output, err) = Merge(folder);
            Assert.Equal(ScriptRunner.Usage, code);
            foreach (var e in expected) Assert.Contains(e, err);
            Assert.Contains("nothing was written", err);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "steps.csv")));
        }

        Directory.Move(Path.Combine(shards, "2-of-3"), Path.Combine(scratch.Folder, "kept"));
        Refused("1 of 3 shards missing: 2-of-3", "--shard 2/3");
        Directory.Move(Path.Combine(scratch.Folder, "kept"), Path.Combine(shards, "2-of-3"));

        var (code, _, err, _) = scratch.Run(script, folder, shard: new Shard(1, 2));
        Assert.True(code == 0, err);
        Refused("the shards come from different shard counts", "1-of-2: 2", "0-of-3, 1-of-3, 2-of-3: 3");
        Directory.Delete(Path.Combine(shards, "1-of-2"), recursive: true);

        CopyFolder(Path.Combine(shards, "0-of-3"), Path.Combine(shards, "4-of-3"));
        Refused("shard folder 4-of-3 holds shard 0-of-3", "shard 0-of-3 is there 2 times (0-of-3, 4-of-3)");
        Directory.Delete(Path.Combine(shards, "4-of-3"), recursive: true);

        var records = Path.Combine(shards, "1-of-3", ShardMerge.RecordsFile);
        var good = File.ReadAllBytes(records);
        File.WriteAllBytes(records, good.Select((b, i) => i == good.Length / 2 ? (byte)(b ^ 0x01) : b).ToArray()); // one flipped bit
        Refused($"shard 1-of-3: record file {records} is corrupt: its SHA-256 does not match its content: run its shard again");
        File.WriteAllBytes(records, good[..(good.Length / 3)]);
        Refused($"shard 1-of-3: record file {records} is corrupt");
        File.WriteAllBytes(records, good);

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(ScriptRunner.Usage, ScriptRunner.Execute(["merge", folder, "--shard", "0/3"], stdout, stderr));
        Assert.Contains("merge takes a results folder and --cache DIR, got \"--shard\"", stderr.ToString());
        Assert.Equal(ScriptRunner.Ok, ScriptRunner.Execute(["merge", "--help"], stdout, stderr));
        Assert.StartsWith("usage: dotnet esp-script merge results/NAME", stdout.ToString());

        File.AppendAllText(script, "\n// edited after the shards ran\n");
        Refused("sweep.csx changed since the shards ran", "run the shards again");
    }

    [Fact]
    public void Three_processes_with_JOB_COMPLETION_INDEX_and_shards_3_are_a_Kubernetes_Indexed_Job_that_merges_to_the_whole_run()
    {
        var script = scratch.Write("sweep.csx", Sweep);
        var whole = Whole(script);
        var pods = Enumerable.Range(0, 3).Select(i => EspProcess.Start(scratch.Folder,
            new Dictionary<string, string> { [ShardSource.KubernetesIndex] = $"{i}" },
            "sweep.csx", "--shards", "3", "--out", "indexed", "--cache", scratch.Cache)).ToList();
        foreach (var pod in pods)
        {
            var err = pod.StandardError.ReadToEnd();
            pod.WaitForExit();
            Assert.True(pod.ExitCode == 0, err);
        }
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch.Folder, "indexed", "shards", "1-of-3", "manifest.json")));
        Assert.Equal("JOB_COMPLETION_INDEX=1, --shards 3", manifest.RootElement.GetProperty("shard").GetProperty("source").GetString());
        var folder = Path.Combine(scratch.Folder, "indexed");
        var (code, output, mergeErr) = Merge(folder);
        Assert.True(code == 0, mergeErr);
        AssertSameAsWhole(whole, folder, output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_sweep_submitted_to_a_real_Slurm_cluster_as_a_job_array_of_three_tasks_merges_to_the_single_machine_run()
    {
        var script = scratch.Write("sweep.csx", Sweep);
        var whole = Whole(script); // also compiles the script into the cache the tasks share
        using var cluster = new SlurmCluster(Directory.CreateDirectory(Path.Combine(scratch.Folder, "slurm")).FullName);
        var job = scratch.Write("job.sh", $"#!/bin/sh\ncd {scratch.Folder}\nexec dotnet {EspProcess.Tool} sweep.csx --out array --cache {scratch.Cache}\n");
        var submitted = cluster.Run("/usr/bin/sbatch", "--wait", "--array=0-2", "--output", Path.Combine(cluster.Folder, "log", "task-%a.out"), job);
        Assert.Contains("Submitted batch job", submitted);
        var folder = Path.Combine(scratch.Folder, "array");
        for (int i = 0; i < 3; i++)
        {
            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "shards", $"{i}-of-3", "manifest.json")));
            Assert.Equal($"SLURM_ARRAY_TASK_ID={i}, SLURM_ARRAY_TASK_COUNT=3", manifest.RootElement.GetProperty("shard").GetProperty("source").GetString());
        }
        var (code, output, err) = Merge(folder);
        Assert.True(code == 0, err);
        AssertSameAsWhole(whole, folder, output);
    }

    [Fact]
    public void A_claim_is_refused_in_a_shard_before_it_runs()
    {
        var script = scratch.Write("claim.csx", """
            Check(Claim.Of("loss is finite", Gens.Quadratic(Gens.Adam(beta2: (0.8, 0.998)), Gens.Samplers(Sampler.Sequential)), r => double.IsFinite(r.Losses[^1]), cases: 2));
            """);
        var (code, _, err, _) = scratch.Run(script, shard: new Shard(0, 2));
        Assert.Equal(ScriptRunner.InvalidDescription, code);
        Assert.Contains("Check(\"loss is finite\") cannot run sharded", err);
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
