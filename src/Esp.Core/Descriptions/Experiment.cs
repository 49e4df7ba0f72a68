namespace Esp;

/// <summary>
/// One run: a problem (the quadratic problem or a network on data), an optimizer, a sampler and a schedule,
/// trained for Epochs epochs of batches of BatchSize examples, from Seed. Device is "cpu" or "cuda" / "cuda:N". The same experiment and seed
/// give the same numbers.
/// </summary>
public sealed record Experiment(
    Problem Problem,
    Optimizer Optimizer,
    Sampler Sampler,
    int Epochs = 10,
    int BatchSize = 100,
    int Seed = 0,
    Schedule? Schedule = null,
    Probes? Probes = null,
    string Device = "cpu",
    Branch? From = null) : IRunDescription
{
    IReadOnlyList<string> IRunDescription.DerivedSettings => Problem.DerivedSettings;

    public Schedule LrSchedule => Schedule ?? Esp.Schedule.Constant;
    public Probes Recorded => Probes ?? Esp.Probes.None;

    /// <summary>Steps in one epoch: ceil(N / BatchSize), or floor with DropLast.</summary>
    public int StepsPerEpoch => Sampler.DropLast ? Problem.Examples / BatchSize : (Problem.Examples + BatchSize - 1) / BatchSize;

    public int TotalSteps => Epochs * StepsPerEpoch;

    /// <summary>Every error the description itself shows, in its parts and between them; empty when it is well formed.
    /// Nothing is read and libtorch is not loaded: a grid is built, checked, printed and compared for free. What only
    /// the data or the machine can show is <see cref="PreparedErrors"/>.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var e in Problem.Errors().Concat(Optimizer.Errors()).Concat(LrSchedule.Errors())) yield return e;
        if (Epochs < 1) yield return $"Experiment.Epochs must be >= 1, got {Epochs}: use e.g. 10";
        if (BatchSize < 1) yield return $"Experiment.BatchSize must be >= 1, got {BatchSize}: use e.g. 100";
        if (Seed < 0) yield return $"Experiment.Seed must be >= 0, got {Seed}: use any non-negative integer";
        if (Device != "cpu" && !Device.StartsWith("cuda", StringComparison.Ordinal))
            yield return $"Experiment.Device must be \"cpu\" or \"cuda\" / \"cuda:N\", got \"{Device}\"";
        foreach (var e in From?.Errors(this) ?? []) yield return e;
        if (Problem.MaskedDecay is var (why, fix) && !Optimizer.MasksDecay)
            yield return $"{why} needs an optimizer that can mask weight decay (Esp's own), got {Optimizer.GetType().Name}: {fix}";
        var p = Recorded;
        foreach (var i in p.Coordinates.Where(i => i < 0 || i >= Problem.Parameters))
            yield return $"Probes.Coordinates must be in [0, D = {Problem.Parameters}), got {i}: pick coordinates of x that exist";
        if (p.GradientSpikeTheta is double theta && !(theta > 0))
            yield return $"Probes.GradientSpikeTheta must be a positive threshold, got {Require.Show(theta)}: use e.g. 5000 (SPAM's)";
        if (p.GradientSpikeTheta is not null && !Optimizer.HasSecondMoment)
            yield return $"Probes.GradientSpikeTheta compares g^2 with the optimizer's second moment v, and {Optimizer.GetType().Name} has none: use an optimizer with one (Adam, AdamW, RmsProp, Spam), or leave it null";
        foreach (var e in p.Extra.SelectMany(probe => probe.Errors(this))) yield return e;
        foreach (var e in p.BatchLossesAtEpochStart.Where(e => e < 0 || e >= Epochs))
            yield return $"Probes.BatchLossesAtEpochStart must list epochs in [0, {Epochs}), got {e}: epochs are numbered from 0";
    }

    /// <summary>The prepare step, for a description without <see cref="Errors"/>: reads the problem's data (a corpus is
    /// tokenised, a CSV parsed; once per process) and checks what only the data and the machine show: the data's own
    /// errors, the batch size and tracked batch against N, and that a CUDA device is there.</summary>
    public IEnumerable<string> PreparedErrors()
    {
        if (BatchSize < 1) yield break; // Errors() says so; nothing here can be checked against it
        var dataErrors = Problem.DataErrors().ToList();
        foreach (var e in dataErrors) yield return e;
        if (Device != "cpu" && !TorchRuntime.CudaAvailable)
            yield return $"Experiment.Device is \"{Device}\" but CUDA is not available to TorchSharp here (no GPU or no CUDA libtorch): use Device = \"cpu\", or reference libtorch-cuda on a machine with a GPU";
        if (dataErrors.Count > 0) yield break; // data that could not be read has no N to check against
        if (BatchSize > Problem.Examples)
        {
            yield return $"Experiment.BatchSize must be in [1, N = {Problem.Examples}], got {BatchSize}: use e.g. {Math.Max(1, Problem.Examples / 100)}";
            yield break; // the checks below need a valid batch size
        }
        if ((long)Epochs * StepsPerEpoch > int.MaxValue)
            yield return $"Experiment.Epochs x steps per epoch must be at most {int.MaxValue} steps, got {Epochs} x {StepsPerEpoch}: use fewer epochs or a larger BatchSize";
        if (Recorded.TrackedBatch is int b && (b < 1 || b > StepsPerEpoch))
            yield return $"Probes.TrackedBatch must be in [1, {StepsPerEpoch}] (batches per epoch), got {b}: use e.g. {StepsPerEpoch} for the epoch's last batch";
    }

    /// <summary>Throws <see cref="InvalidExperimentException"/> listing every error in the grid, before any compute:
    /// the descriptions' own errors, and once there are none, what preparing them (reading their data) shows.</summary>
    public static void ValidateAll(IReadOnlyList<Experiment> experiments)
    {
        if (experiments.Count == 0)
            throw new InvalidExperimentException(["the experiment list is empty: give Run at least one Experiment"]);
        string Numbered(int i, string e) => experiments.Count == 1 ? e : $"experiment {i}: {e}";
        var errors = experiments.SelectMany((x, i) => x.Errors().Select(e => Numbered(i, e))).ToList();
        if (errors.Count == 0) errors = experiments.SelectMany((x, i) => x.PreparedErrors().Select(e => Numbered(i, e))).ToList();
        if (errors.Count > 0) throw new InvalidExperimentException(errors);
    }

    /// <summary>The settings that identify this run, as result columns.</summary>
    public IEnumerable<(string Column, object Value)> Settings() =>
        Optimizer.Settings().Concat([
            ("sampler", (object)Sampler.Name), ("drop_last", Sampler.DropLast), ("batch_size", BatchSize),
            ("seed", Seed), ("schedule", LrSchedule.Label)]).Concat(Problem.Settings()).Append(("device", Device))
            .Concat(From is null ? [] : [("branch_epoch", (object)From.AfterEpoch)]);
}
