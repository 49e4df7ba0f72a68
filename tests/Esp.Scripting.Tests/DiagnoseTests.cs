/// <summary>
/// `esp-script diagnose PATH` from the command line: a folder of TensorBoard runs exported by an Esp script, and the
/// three other formats, each to its diagnosis.csv (the issue's columns, in order), spikes.csv, page and manifest;
/// bad input refused with what the log has.
/// </summary>
[Collection("esp-script")]
public sealed class DiagnoseTests : IDisposable
{
    readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    static readonly string[] Columns = ["source", "run", "tag", "steps", "epochs", "points_per_epoch", "sawtooth_index", "rise_index", "amplitude",
        "loss_spikes", "spikes_olmo_core", "spikes_llm_foundry", "spikes_lightning", "warmup_sawtooth_index", "warmup_rise_index", "warmup_amplitude",
        "stable_sawtooth_index", "stable_rise_index", "stable_amplitude", "decay_sawtooth_index", "decay_rise_index", "decay_amplitude", "note"];

    (int Code, string Out, string Err) Diagnose(params string[] args) => EspProcess.Run(scratch.Folder, ["diagnose", .. args]);

    [Fact]
    public void A_folder_of_tensorboard_runs_exported_by_esp_is_diagnosed_as_esp_measured_it()
    {
        scratch.Write("sweep.csx", """
            Run(from beta2 in new[] { 0.999, 0.8 }
                select new Experiment(new QuadraticProblem(N: 1000, D: 1000), new Adam(Beta2: beta2), Sampler.Shuffle, Epochs: 6, BatchSize: 10));
            """);
        var run = EspProcess.Run(scratch.Folder, "sweep.csx", "--cache", scratch.Cache, "--tensorboard", "tb");
        Assert.True(run.Code == 0, run.Err);

        var (code, output, err) = Diagnose("tb", "--steps-per-epoch", "100");
        Assert.True(code == 0, err);
        var results = Path.Combine(scratch.Folder, "results", "diagnose-tb");
        Assert.Equal(["diagnose.html", "diagnosis.csv", "manifest.json", "spikes.csv"], Directory.GetFiles(results).Select(Path.GetFileName).Order());
        var diagnosis = Scratch.ReadCsv(Path.Combine(results, "diagnosis.csv"));
        Assert.Equal(Columns, diagnosis.ColumnKeys);
        var own = Scratch.ReadCsv(Path.Combine(scratch.Folder, "results", "sweep", "runs.csv"));
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal($"run-000{k}", diagnosis.GetColumn<string>("run").GetAt(k));
            Assert.Equal((600, 6, 100), (diagnosis.GetColumn<int>("steps").GetAt(k), diagnosis.GetColumn<int>("epochs").GetAt(k), diagnosis.GetColumn<int>("points_per_epoch").GetAt(k)));
            foreach (var metric in new[] { "sawtooth_index", "rise_index", "amplitude" }) // the run's own, to float32 (TensorBoard's)
                Assert.Equal(own.GetColumn<double>(metric).GetAt(k), diagnosis.GetColumn<double>(metric).GetAt(k), 5);
        }
        Assert.Contains("tensorboard run-0001 loss: 600 points, 6 epochs of 100; sawtooth", output);
        Assert.Equal(["run", "tag", "step", "height", "rule"], Scratch.ReadCsv(Path.Combine(results, "spikes.csv")).ColumnKeys);
    }

    [Fact]
    public void Lightning_hugging_face_and_csv_logs_are_diagnosed_and_a_log_without_a_loss_lists_its_tags()
    {
        var lightning = Directory.CreateDirectory(Path.Combine(scratch.Folder, "lightning_logs", "version_0")).FullName;
        File.WriteAllText(Path.Combine(lightning, "metrics.csv"), "epoch,step,train_loss,val_loss\r\n" + string.Concat(
            Enumerable.Range(0, 500).Select(s => FormattableString.Invariant($"{s / 100},{s},{1.0 / (s / 100 + 1) + 0.002 * (s % 100)},\r\n"))));
        var hf = Directory.CreateDirectory(Path.Combine(scratch.Folder, "hf")).FullName;
        File.WriteAllText(Path.Combine(hf, "trainer_state.json"), "{\"global_step\": 500, \"log_history\": [" + string.Join(", ",
            Enumerable.Range(1, 500).Select(s => FormattableString.Invariant($"{{\"epoch\": {s / 100.0}, \"learning_rate\": 0.001, \"loss\": {1.0 / ((s - 1) / 100 + 1) + 0.002 * ((s - 1) % 100)}, \"step\": {s}}}"))) + "]}");
        File.WriteAllText(Path.Combine(scratch.Folder, "export.csv"), "_step,loss\n" + string.Concat(
            Enumerable.Range(0, 500).Select(s => FormattableString.Invariant($"{s},{1.0 / (s / 100 + 1) + 0.002 * (s % 100)}\n"))));

        foreach (var (path, args, source) in new[] { ("lightning_logs", new string[0], "lightning"), ("hf", [], "huggingface"), ("export.csv", ["--steps-per-epoch", "100"], "csv") })
        {
            var (code, _, err) = Diagnose([path, "--out", $"out-{source}", .. args]);
            Assert.True(code == 0, err);
            var d = Scratch.ReadCsv(Path.Combine(scratch.Folder, $"out-{source}", "diagnosis.csv"));
            Assert.Equal(source, d.GetColumn<string>("source").GetAt(0));
            Assert.Equal((5, 100), (d.GetColumn<int>("epochs").GetAt(0), d.GetColumn<int>("points_per_epoch").GetAt(0)));
            Assert.True(d.GetColumn<double>("sawtooth_index").GetAt(0) > 0.3, $"{source}: the loss falls at every epoch start");
        }

        File.WriteAllText(Path.Combine(scratch.Folder, "accuracy.csv"), "step,accuracy,lr\n0,0.1,0.01\n1,0.2,0.01\n");
        var refused = Diagnose("accuracy.csv");
        Assert.Equal(64, refused.Code);
        Assert.Contains("csv run \"accuracy\" has no loss tag (loss, train_loss, train/loss, ...); its tags: accuracy, lr. Name the one to diagnose (--tag NAME", refused.Err);
        Assert.False(Directory.Exists(Path.Combine(scratch.Folder, "results", "diagnose-accuracy.csv")), "nothing written");
        Assert.Equal(0, Diagnose("accuracy.csv", "--tag", "accuracy").Code);
        Assert.Contains("--steps-per-epoch needs a positive whole number", Diagnose("accuracy.csv", "--steps-per-epoch", "0").Err);
    }
}
