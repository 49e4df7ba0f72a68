using System.Globalization;
using System.Text;

namespace Esp.Core.Tests;

/// <summary>
/// Other tools' logs read back: TensorBoard files written by real writers (Esp's --tensorboard export and TorchSharp's
/// SummaryWriter), with their frames' checksums checked; Lightning, Hugging Face and CSV files laid out as those tools
/// write them (Lightning 2.x's CSVLogger: csv.DictWriter over the sorted keys, "\r\n" rows, the step added to each
/// row, empty cells for metrics not logged at that step; the Trainer's trainer_state.json: log_history entries with
/// a 1-based step and the fraction of epochs done). Diagnoses of them against Esp's own numbers.
/// </summary>
public sealed class LogsTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("esp-logs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static Experiment Quadratic(double beta2) => new(new QuadraticProblem(N: 1000, D: 1000), new Adam(Beta2: beta2), Sampler.Shuffle,
        Epochs: 8, BatchSize: 10, Schedule: Schedule.Wsd(decayFraction: 0.5));

    [Fact]
    public void An_esp_run_exported_to_tensorboard_reads_back_with_the_same_metrics_to_float32()
    {
        var board = Path.Combine(folder, "tb");
        var results = Engine.Run([Quadratic(0.999), Quadratic(0.8)], options: new EngineOptions(TensorBoard: board));
        var runs = Logs.TensorBoard(board);

        Assert.Equal(["run-0000", "run-0001"], runs.Select(r => r.Name));
        for (int k = 0; k < 2; k++)
        {
            var own = results.RunRecords[k];
            var loss = runs[k].Series("loss");
            Assert.Equal(Enumerable.Range(0, own.StepsTaken).Select(t => (long)t), loss.Steps);
            Assert.Equal(own.Losses.Select(v => (double)(float)v), loss.Values); // TensorBoard keeps float32
            Assert.Equal(own.Column("lr_t").Select(v => (double)(float)v), runs[k].Series("lr_t").Values);
            Assert.Contains(("beta2", (object)(k == 0 ? 0.999 : 0.8)), runs[k].Settings); // Esp's settings text, read back

            var d = Diagnosis.Of(runs[k], "loss", stepsPerEpoch: own.Experiment.StepsPerEpoch);
            var expected = EspMetrics.Of(own.Losses, own.Experiment.StepsPerEpoch);
            Assert.Equal(EspMetrics.Of(own.Losses.Select(v => (double)(float)v).ToList(), 100), d.Metrics); // exactly, on float32 losses
            Assert.Equal(expected.SawtoothIndex, d.Metrics!.SawtoothIndex, 5);
            Assert.Equal(expected.RiseIndex, d.Metrics.RiseIndex, 5);
            Assert.Equal(expected.Amplitude, d.Metrics.Amplitude, 5);
            Assert.Equal((8, 100, 800), (d.Epochs, d.PointsPerEpoch, d.Steps));
            // WSD with half the run decaying: stable epochs 0-3, decay from step 400 (its first decayed rate)
            var phases = d.Phases.ToDictionary(p => p.Phase, p => p.Metrics);
            Assert.Null(phases["warmup"]);
            Assert.Equal(EspMetrics.Between(loss.Values, 100, 0, 3), phases["stable"]);
            Assert.Equal(EspMetrics.Between(loss.Values, 100, 4, 7), phases["decay"]);
        }
    }

    [Fact]
    public void Logged_runs_are_results_that_frames_group_stats_reports_and_plots_work_on()
    {
        var board = Path.Combine(folder, "tb");
        var own = Engine.Run([Quadratic(0.999), Quadratic(0.8)], options: new EngineOptions(TensorBoard: board));
        var logs = Logs.TensorBoard(board);
        var logged = Logs.Results(logs, stepsPerEpoch: 100);

        var runs = logged.Runs;
        Assert.Equal(["run", "source", "log", "optimizer", "lr"], runs.ColumnKeys.Take(5)); // the log's settings (Esp's, read back) after source and log
        for (int k = 0; k < 2; k++)
            Assert.Equal(Diagnosis.Of(logs[k], "loss", 100).Metrics!.SawtoothIndex, runs.GetColumn<double>("sawtooth_index").GetAt(k));
        var byBeta2 = GroupStats.Of(logged, "sawtooth_index", "beta2");
        Assert.Equal(["0.999", "0.8"], byBeta2.Select(g => g.Keys[0]));
        Assert.Equal(own.Runs.GetColumn<double>("sawtooth_index").GetAt(1), byBeta2[1].Mean, 5);
        Assert.Contains("beta2", Report.Summary(logged, TextWriter.Null).Split('\n')[0]);
        Assert.Contains("\"name\":\"beta2 = 0.8, log = run-0001\"", Plot.Loss(logged, plotEvery: 10, series: "beta2").ToHtml()); // each log a run of its own
        var steps = logged.Steps;
        Assert.Equal(1600, steps.RowCount);
        Assert.Equal(own.RunRecords[1].Column("lr_t").Select(v => (double)(float)v), steps.GetColumn<double>("lr_t").Values.Skip(800));
        Assert.Equal(Enumerable.Range(0, 800).Select(s => (double)s), steps.GetColumn<double>("logged_step").Values.Take(800));
        Assert.Contains("read from a log (tensorboard run-0000)", Assert.Throws<InvalidOperationException>(() => logged.RunRecords[0].Experiment).Message);
    }

    [Fact]
    public void Torchsharps_summary_writer_files_read_back_by_tag_and_step()
    {
        var dir = Path.Combine(folder, "writer", "my run");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(dir);
        for (int step = 0; step < 50; step += 5) writer.add_scalar("train/loss", 1f / (step + 1), step);
        writer.add_scalar("train/loss", 0.5f, 10); // the same step again: TensorBoard shows the later value
        writer.add_scalar("lr", 0.01f, 0);

        var run = Assert.Single(Logs.TensorBoard(Path.Combine(folder, "writer")));
        Assert.Equal("my run", run.Name);
        Assert.Equal("train/loss", run.LossTag);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 5L * k), run.Series("train/loss").Steps);
        Assert.Equal(0.5, run.Series("train/loss").Values[2]);
        Assert.Equal((double)(1f / 6), run.Series("train/loss").Values[1]);
        Assert.Equal("", run.Note);
        var missing = Assert.Throws<ArgumentException>(() => run.Series("loss"));
        Assert.Equal("tensorboard run \"my run\" has no tag \"loss\"; its tags: lr, train/loss", missing.Message);
    }

    /// <summary>A length-delimited protobuf message of the given fields, as Google.Protobuf writes one.</summary>
    static Google.Protobuf.ByteString Message(params (int Field, Google.Protobuf.ByteString Bytes)[] fields)
    {
        var stream = new MemoryStream();
        var output = new Google.Protobuf.CodedOutputStream(stream);
        foreach (var (field, bytes) in fields)
        {
            output.WriteTag(field, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            output.WriteBytes(bytes);
        }
        output.Flush();
        return Google.Protobuf.ByteString.CopyFrom(stream.ToArray());
    }

    [Fact]
    public void The_hparams_plugins_hyperparameters_are_the_runs_settings()
    {
        var dir = Path.Combine(folder, "hparams");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(dir);
        writer.add_scalar("loss", 1f, 0);
        // session_start_info as tensorboard/plugins/hparams/plugin_data.proto lays it out (what PyTorch's add_hparams writes)
        Google.Protobuf.ByteString Entry(string key, Google.Protobuf.WellKnownTypes.Value value) =>
            Message((1, Google.Protobuf.ByteString.CopyFromUtf8(key)), (2, Google.Protobuf.MessageExtensions.ToByteString(value)));
        var start = Message((1, Entry("lr", Google.Protobuf.WellKnownTypes.Value.ForNumber(0.001))),
            (1, Entry("optimizer", Google.Protobuf.WellKnownTypes.Value.ForString("adamw"))), (1, Entry("shuffle", Google.Protobuf.WellKnownTypes.Value.ForBool(true))));
        var e = new Tensorboard.Event { WallTime = 1, Step = 0, Summary = new Tensorboard.Summary() };
        e.Summary.Value.Add(new Tensorboard.Summary.Types.Value
        {
            Tag = "_hparams_/session_start_info",
            Metadata = new Tensorboard.SummaryMetadata { PluginData = new Tensorboard.SummaryMetadata.Types.PluginData { PluginName = "hparams", Content = Message((3, start)) } },
        });
        var file = Directory.GetFiles(dir).Single();
        Append(file, e);
        writer.add_scalar("lr", 0.002f, 0); // a tag named as a setting

        var run = Logs.TensorBoard(file).Single();
        Assert.Equal([("lr", 0.001), ("optimizer", "adamw"), ("shuffle", true)], run.Settings);
        Assert.Equal(1, run.Series("loss").Count);
        Assert.Equal("", run.Note);
        var logged = Logs.Results([run]).RunRecords[0];
        Assert.Equal(["loss", "logged_step", "log/lr"], logged.StepColumnNames); // the setting keeps "lr"
        Assert.Equal("0.001", logged.Setting("lr"));
    }

    /// <summary>Appends <paramref name="e"/> to an event file as a TFRecord frame (length, its masked CRC-32C, record, its masked CRC-32C).</summary>
    static void Append(string file, Tensorboard.Event e)
    {
        var record = Google.Protobuf.MessageExtensions.ToByteArray(e);
        var length = BitConverter.GetBytes((ulong)record.Length); // little-endian here, as TFRecord's
        File.AppendAllBytes(file, length.Concat(BitConverter.GetBytes(Crc32C.Masked(length))).Concat(record).Concat(BitConverter.GetBytes(Crc32C.Masked(record))).ToArray());
    }

    [Fact]
    public void A_tensorflow_scalar_kept_as_tensor_bytes_is_read_and_an_epoch_scalar_gives_the_epochs()
    {
        var dir = Path.Combine(folder, "tf2");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(dir);
        writer.add_scalar("epoch", 0f, 0); // as Lightning's TensorBoardLogger logs it
        writer.add_scalar("epoch", 1f, 100);
        var file = Directory.GetFiles(dir).Single();
        foreach (var (step, loss) in new[] { (0L, 2.5f), (100L, 1.25f) })
        {
            var e = new Tensorboard.Event { Step = step, Summary = new Tensorboard.Summary() };
            e.Summary.Value.Add(new Tensorboard.Summary.Types.Value // tf.summary.scalar through TensorFlow's C++ writer: DT_FLOAT in tensor_content
            {
                Tag = "epoch_loss",
                Tensor = new Tensorboard.TensorProto { Dtype = Tensorboard.DataType.DtFloat, TensorContent = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(loss)) },
            });
            Append(file, e);
        }
        var run = Logs.TensorBoard(file).Single();
        Assert.Equal([2.5, 1.25], run.Series("epoch_loss").Values);
        Assert.Equal([0.0, 1.0], run.Epoch!.Values);
        Assert.False(run.Tags.ContainsKey("epoch"));
    }

    [Fact]
    public void A_truncated_or_corrupted_event_file_is_read_up_to_its_last_good_record_and_says_so()
    {
        var dir = Path.Combine(folder, "cut");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(dir);
        for (int step = 0; step < 20; step++) writer.add_scalar("loss", step, step);
        var file = Directory.GetFiles(dir).Single();
        var bytes = File.ReadAllBytes(file);
        var whole = Logs.TensorBoard(file).Single().Series("loss");
        Assert.Equal(20, whole.Count);

        int lastFrame = bytes.Length - (TfRecordFile.Read(file).Records[^1].Length + 16);
        File.WriteAllBytes(file, bytes[..(lastFrame + 14)]); // a header, its checksum and two bytes of the record
        Assert.Contains("a record cut short", Logs.TensorBoard(file).Single().Note);
        File.WriteAllBytes(file, bytes[..^10]); // the last record cut short
        var cut = Logs.TensorBoard(file).Single();
        Assert.Equal(19, cut.Series("loss").Count);
        Assert.Contains("a record cut short at byte", cut.Note);
        Assert.Contains("read the 20 records before it", cut.Note); // the file-version event and 19 scalars

        var flipped = (byte[])bytes.Clone();
        int at = bytes.Length / 2;
        flipped[at] ^= 0x40; // one bit in the middle of the file
        File.WriteAllBytes(file, flipped);
        var corrupt = Logs.TensorBoard(file).Single();
        Assert.Matches("CRC-32C does not match at byte \\d+ of " + bytes.Length, corrupt.Note);
        Assert.True(corrupt.Series("loss").Count is > 5 and < 20, $"{corrupt.Series("loss").Count} scalars before the bad frame");
        Assert.Equal(whole.Values.Take(corrupt.Series("loss").Count), corrupt.Series("loss").Values); // nothing after it, nothing wrong before it
    }

    /// <summary>metrics.csv as Lightning 2.x's CSVLogger writes it: the sorted keys, rows of the metrics logged at one step.</summary>
    string LightningLog(int epochs, int stepsPerEpoch, int every)
    {
        var dir = Directory.CreateDirectory(Path.Combine(folder, "lightning_logs", "version_0")).FullName;
        var text = new StringBuilder("epoch,step,train_loss,val_loss\r\n");
        for (int e = 0; e < epochs; e++)
        {
            for (int s = 0; s < stepsPerEpoch; s += every)
                text.Append(CultureInfo.InvariantCulture, $"{e},{e * stepsPerEpoch + s},{Loss(e, s, stepsPerEpoch)},\r\n");
            text.Append(CultureInfo.InvariantCulture, $"{e},{(e + 1) * stepsPerEpoch - 1},,{2.0 / (e + 2)}\r\n"); // validation at the epoch's end
        }
        File.WriteAllText(Path.Combine(dir, "metrics.csv"), text.ToString());
        File.WriteAllText(Path.Combine(dir, "hparams.yaml"), "lr: 0.001\nbatch_size: 64\nmodel: mlp\noptimizer:\n  name: adam\n");
        return Path.Combine(dir, "metrics.csv");
    }

    /// <summary>A sawtooth: falls at every epoch start, climbs within it.</summary>
    static double Loss(int epoch, int step, int perEpoch) => 1.0 / (epoch + 1) + 0.2 * step / perEpoch;

    [Fact]
    public void A_lightning_csv_log_reads_its_sparse_rows_epochs_and_hparams()
    {
        var run = Logs.Lightning(LightningLog(epochs: 6, stepsPerEpoch: 200, every: 10));
        Assert.Equal(("lightning", "version_0"), (run.Source, run.Name));
        Assert.Equal(120, run.Series("train_loss").Count); // the validation rows' empty train_loss cells are not values
        Assert.Equal(6, run.Series("val_loss").Count);
        Assert.Equal("train_loss", run.LossTag);
        Assert.Equal([("lr", 0.001), ("batch_size", 64.0), ("model", "mlp")], run.Settings); // nested "optimizer:" left out

        var d = Diagnosis.Of(run, "train_loss");
        Assert.Equal((6, 20), (d.Epochs, d.PointsPerEpoch)); // from the epoch column: logged every 10 of 200 steps
        var expected = EspMetrics.Of(Enumerable.Range(0, 6).SelectMany(e => Enumerable.Range(0, 20).Select(k => Loss(e, 10 * k, 200))).ToList(), 20);
        Assert.Equal(expected, d.Metrics);
        Assert.True(d.Metrics!.SawtoothIndex > 0 && d.Metrics.RiseIndex > 0);
    }

    [Fact]
    public void A_hugging_face_trainer_state_reads_its_fractional_epochs_and_phases_of_its_learning_rate()
    {
        int perEpoch = 300, epochs = 8, every = 10, warmup = 600;
        var history = new List<string>();
        for (int step = every; step <= epochs * perEpoch; step += every)
        {
            int e = (step - 1) / perEpoch, s = (step - 1) % perEpoch;
            double lr = step <= warmup ? 5e-5 * step / warmup : 5e-5 * (epochs * perEpoch - step) / (epochs * perEpoch - warmup);
            history.Add(FormattableString.Invariant(
                $"{{\"epoch\": {Math.Round((double)step / perEpoch, 2)}, \"grad_norm\": 1.5, \"learning_rate\": {lr:R}, \"loss\": {Loss(e, s, perEpoch):R}, \"step\": {step}}}"));
            if (step % perEpoch == 0)
                history.Add(FormattableString.Invariant($"{{\"epoch\": {step / perEpoch}.0, \"eval_loss\": 0.9, \"eval_runtime\": 1.2, \"step\": {step}}}"));
        }
        history.Add($"{{\"epoch\": {epochs}.0, \"step\": {epochs * perEpoch}, \"total_flos\": 1.0e15, \"train_loss\": 0.4, \"train_runtime\": 120.5}}");
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "checkpoint-2400")).FullName, "trainer_state.json");
        File.WriteAllText(path, "{\n  \"best_metric\": null,\n  \"epoch\": 8.0,\n  \"eval_steps\": 300,\n  \"global_step\": 2400,\n  \"log_history\": [\n    " +
            string.Join(",\n    ", history) + "\n  ],\n  \"logging_steps\": 10,\n  \"max_steps\": 2400,\n  \"num_train_epochs\": 8,\n  \"train_batch_size\": 16,\n  \"trial_name\": null\n}\n");

        var run = Logs.HuggingFace(path);
        Assert.Equal(240, run.Series("loss").Count);
        Assert.Equal(8, run.Series("eval_loss").Count);
        Assert.Contains(("train_batch_size", (object)16.0), run.Settings);
        Assert.Equal("learning_rate", run.LearningRateTag);

        var d = Diagnosis.Of(run, "loss");
        Assert.True(d.Note == "", d.Note);
        Assert.Equal((8, 30), (d.Epochs, d.PointsPerEpoch)); // the step logged at epoch 1.0 ends epoch 0
        var series = Enumerable.Range(0, epochs).SelectMany(e => Enumerable.Range(0, 30).Select(k => Loss(e, 10 * k + 9, perEpoch))).ToList();
        Assert.Equal(EspMetrics.Of(series, 30), d.Metrics);
        Assert.Equal(d.Metrics, Diagnosis.Of(run, "loss", stepsPerEpoch: perEpoch).Metrics); // the same epochs from --steps-per-epoch (steps from 1)
        var phases = d.Phases.ToDictionary(p => p.Phase, p => p.Metrics);
        Assert.Equal(EspMetrics.Between(series, 30, 0, 1), phases["warmup"]); // the rate climbs over steps 10-600: epochs 0 and 1
        Assert.Null(phases["stable"]); // it peaks at step 600 and falls from the next logged step
        Assert.Equal(EspMetrics.Between(series, 30, 2, 7), phases["decay"]);
    }

    [Fact]
    public void A_csv_export_needs_a_step_column_and_says_which_columns_it_has()
    {
        var path = Path.Combine(folder, "wandb_export.csv");
        File.WriteAllText(path, "\"_step\",\"train/loss\",\"note, quoted\"\n" +
            string.Concat(Enumerable.Range(0, 50).Select(s => FormattableString.Invariant($"{s},{Loss(s / 10, s % 10, 10)},\"a, b\"\n"))));
        var run = Logs.Csv(path).Single();
        Assert.Equal(("csv", "wandb_export"), (run.Source, run.Name));
        Assert.Equal(["train/loss"], run.Tags.Keys); // a text column is not a tag
        var d = Diagnosis.Of(run, "train/loss", stepsPerEpoch: 10);
        Assert.Equal((5, 10), (d.Epochs, d.PointsPerEpoch));
        Assert.Equal(EspMetrics.Of(run.Series("train/loss").Values, 10), d.Metrics);
        Assert.Contains("no epoch boundaries", Diagnosis.Of(run, "train/loss").Note);

        File.WriteAllText(path, "iteration,loss\n0,1\n1,2\n");
        var error = Assert.Throws<ArgumentException>(() => Logs.Csv(path));
        Assert.Contains("has no step column (looked for global_step, step, _step, Step, trainer/global_step); its columns: iteration, loss", error.Message);
        Assert.Equal(2, Logs.Csv(path, stepColumn: "iteration").Single().Series("loss").Count);
    }

    [Fact]
    public void Esps_own_steps_csv_reads_back_as_its_runs_with_the_same_metrics()
    {
        var results = Engine.Run([Quadratic(0.999), Quadratic(0.8)]);
        results.Save(folder);
        var runs = Logs.Csv(Path.Combine(folder, "steps.csv"));

        Assert.Equal(["steps run 0", "steps run 1"], runs.Select(r => r.Name)); // one run per value of the run column
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(Enumerable.Range(0, 800).Select(t => (long)t), runs[k].Series("loss").Steps); // global_step, not the step within the epoch
            Assert.Contains(("beta2", (object)(k == 0 ? 0.999 : 0.8)), runs[k].Settings); // a column of one value is a setting
            Assert.Contains(("optimizer", (object)"adam"), runs[k].Settings);
            Assert.Equal("lr_t", runs[k].LearningRateTag);
            var d = Diagnosis.Of(runs[k], "loss"); // the epoch column gives the epochs
            Assert.Equal(EspMetrics.Of(results.RunRecords[k].Losses, 100), d.Metrics); // exactly: steps.csv keeps every double
        }
    }

    [Fact]
    public void Too_few_points_per_epoch_are_refused_with_the_count()
    {
        var run = Logs.Lightning(LightningLog(epochs: 6, stepsPerEpoch: 200, every: 40)); // 5 points an epoch
        var d = Diagnosis.Of(run, "train_loss");
        Assert.Null(d.Metrics);
        Assert.Equal(5, d.PointsPerEpoch);
        Assert.Contains("ESP metrics need at least 10 logged points per epoch (a window is a tenth of an epoch), got 5", d.Note);
    }

    [Fact]
    public void Read_finds_every_run_of_a_folder_by_its_files()
    {
        LightningLog(epochs: 5, stepsPerEpoch: 100, every: 10);
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(Path.Combine(folder, "tb", "a"));
        writer.add_scalar("loss", 1f, 0);
        File.WriteAllText(Path.Combine(folder, "notes.csv"), "name,comment\nx,y\n"); // a CSV that is no log
        var (runs, passed) = Logs.Scan(folder);
        Assert.Equal([("tensorboard", "tb/a"), ("lightning", "lightning_logs/version_0")], runs.Select(r => (r.Source, r.Name))); // named by their paths
        Assert.StartsWith("notes.csv: ", Assert.Single(passed));
        Assert.Contains("holds no log Esp reads", Assert.Throws<FileNotFoundException>(() => Logs.Read(Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName)).Message);
    }
}
