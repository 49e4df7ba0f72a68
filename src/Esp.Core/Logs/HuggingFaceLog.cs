using System.Text.Json;

namespace Esp;

/// <summary>
/// The Hugging Face Trainer's trainer_state.json: each entry of log_history that has a step is logged at that step,
/// every number in it but step and epoch a tag (loss, learning_rate, grad_norm, eval_loss, ...); epoch, a fraction of
/// epochs done, gives each logged step its epoch. The state's own numbers (train_batch_size, num_train_epochs,
/// logging_steps, max_steps, ...) are the run's settings.
/// </summary>
static class HuggingFaceLog
{
    public static LoggedRun Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var state = json.RootElement;
        if (!state.TryGetProperty("log_history", out var history) || history.ValueKind != JsonValueKind.Array)
            throw new ArgumentException($"{path} has no log_history list: give the trainer_state.json the Hugging Face Trainer writes beside its checkpoints");
        var tags = new Dictionary<string, SortedDictionary<long, double>>();
        var epochs = new SortedDictionary<long, double>();
        foreach (var entry in history.EnumerateArray())
        {
            if (!entry.TryGetProperty("step", out var stepValue) || !stepValue.TryGetInt64(out var step)) continue;
            foreach (var p in entry.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                if (p.Name == "step") continue;
                var series = p.Name == "epoch" ? epochs : tags.TryGetValue(p.Name, out var known) ? known : tags[p.Name] = [];
                series[step] = p.Value.GetDouble();
            }
        }
        var settings = state.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String && p.Name is not ("epoch" or "global_step"))
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Number ? (object)p.Value.GetDouble() : p.Value.GetString()!)).ToList();
        return new LoggedRun("huggingface", Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path,
            tags.ToDictionary(t => t.Key, t => LoggedSeries.Of(t.Value)), epochs.Count > 0 ? LoggedSeries.Of(epochs) : null, settings,
            StepsFromOne: true, EpochsDone: true);
    }
}
