using Tensorboard;

/// <summary>
/// EngineOptions.TensorBoard's event files, read back here without TensorBoard: TFRecord framing (the length as 8 bytes,
/// its masked CRC-32C, the Event protobuf, its masked CRC-32C), every CRC checked, then each scalar's tag, step and value.
/// </summary>
public class TensorBoardTests
{
    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), masked as TFRecord does.</summary>
    static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    /// <summary>Every record of an event file, each CRC checked.</summary>
    static List<Event> Records(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var events = new List<Event>();
        for (int at = 0; at < bytes.Length;)
        {
            var length = bytes.AsSpan(at, 8);
            Assert.Equal(MaskedCrc32C(length), BitConverter.ToUInt32(bytes, at + 8));
            int n = checked((int)BitConverter.ToInt64(length));
            var data = bytes.AsSpan(at + 12, n);
            Assert.Equal(MaskedCrc32C(data), BitConverter.ToUInt32(bytes, at + 12 + n));
            events.Add(Event.Parser.ParseFrom(data.ToArray()));
            at += 12 + n + 4;
        }
        return events;
    }

    [Fact]
    public void Each_run_gets_a_folder_with_its_step_and_epoch_columns_at_their_steps_and_its_settings_as_text()
    {
        var folder = Directory.CreateTempSubdirectory("esp-tensorboard-").FullName;
        try
        {
            var problem = new QuadraticProblem(N: 100, D: 100);
            var grid = new[] { 0.999, 0.8 }.Select(b2 => new Experiment(problem, new Adam(Beta2: b2), Sampler.Shuffle, Epochs: 3, BatchSize: 10,
                Probes: new Probes(GradNorm: true, EpochEndFullLoss: true))).ToList();
            var runs = Engine.Run(grid, TextWriter.Null, firstRun: 4, options: new EngineOptions(TensorBoard: folder)).RunRecords;
            Assert.Equal(["run-0004", "run-0005"], Directory.GetDirectories(folder).Select(Path.GetFileName).Order());
            foreach (var run in runs)
            {
                var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, $"run-{run.Run:D4}")));
                Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
                var events = Records(file);
                Assert.Equal("brain.Event:2", events[0].FileVersion);
                var values = events.Skip(1).Select(e => (Event: e, Value: Assert.Single(e.Summary.Value))).ToList();
                var text = values[0].Value;
                Assert.StartsWith("settings", text.Tag);
                Assert.Contains($"beta2 | {run.Setting("beta2")} |", text.Tensor.StringVal[0].ToStringUtf8());
                var scalars = values.Skip(1).GroupBy(v => v.Value.Tag).ToDictionary(g => g.Key, g => g.Select(v => (v.Event.Step, v.Value.SimpleValue)).ToList());
                Assert.Equal(["loss", "lr_t", "grad_norm", "epoch/full_loss"], scalars.Keys);
                foreach (var column in new[] { "loss", "lr_t", "grad_norm" })
                    Assert.Equal(run.Column(column).Select((v, t) => ((long)t, (float)v)), scalars[column]);
                Assert.Equal(run.EpochEndFullLoss.Select((v, e) => (10L * (e + 1) - 1, (float)v)), scalars["epoch/full_loss"]);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void A_tensorboard_folder_that_is_a_file_is_refused_before_any_compute()
    {
        var file = Path.GetTempFileName();
        try
        {
            var x = new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, Epochs: 1, BatchSize: 10);
            var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([x], TextWriter.Null, options: new EngineOptions(TensorBoard: file)));
            Assert.Contains($"EngineOptions.TensorBoard must name a folder for the event files, got \"{file}\" (a file)", e.Message);
        }
        finally { File.Delete(file); }
    }
}
