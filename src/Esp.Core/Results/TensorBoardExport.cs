using TorchSharp;

namespace Esp;

/// <summary>
/// A run's numbers as TensorBoard event files, written through TorchSharp's SummaryWriter (EngineOptions.TensorBoard,
/// esp-script --tensorboard DIR): one folder per run (DIR/run-0003/, so TensorBoard lists runs apart), a scalar per
/// step column (loss, lr_t, probes) at each global step it has a value, the epoch-end columns (full_loss, val_loss, val_accuracy) as
/// epoch/NAME at the epoch's last step, and the settings as a text table. TensorBoard stores scalars as float32.
/// </summary>
static class TensorBoardExport
{
    public static string FolderOf(string root, int run) => Path.Combine(root, $"run-{run:D4}");

    public static void Write(string root, RunRecord r)
    {
        var writer = torch.utils.tensorboard.SummaryWriter(FolderOf(root, r.Run));
        long wallTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        writer.add_text("settings", Settings(r), 0, wallTime);
        foreach (var name in r.StepColumnNames)
        {
            var values = r.Column(name);
            for (int t = 0; t < values.Length; t++)
                if (!double.IsNaN(values[t])) writer.add_scalar(name, (float)values[t], t, wallTime); // NaN: a column measured only some steps (BERT's validation)
        }
        int perEpoch = r.Experiment.StepsPerEpoch;
        for (int c = 0; c < r.EpochColumnNames.Count; c++)
            for (int e = 0; e < r.EpochColumns[c].Length; e++)
                writer.add_scalar($"epoch/{r.EpochColumnNames[c]}", (float)r.EpochColumns[c][e], (e + 1) * perEpoch - 1, wallTime);
    }

    /// <summary>The run's settings as a Markdown table (TensorBoard's text tab renders it), then its status.</summary>
    static string Settings(RunRecord r) =>
        $"run {r.Run}: {r.Experiment}\n\n| setting | value |\n| --- | --- |\n" +
        string.Concat(r.Experiment.Settings().Select(s => $"| {s.Column} | {Require.Show(s.Value)} |\n")) +
        $"\nstatus: {r.Status.ToString().ToLowerInvariant()}" + (r.Message == "" ? "" : $" ({r.Message})");
}
