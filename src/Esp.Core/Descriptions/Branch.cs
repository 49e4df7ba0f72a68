namespace Esp;

/// <summary>
/// Where a run starts when it does not start from scratch: the state of <paramref name="Parent"/> after
/// <paramref name="AfterEpoch"/> epochs, read from the parent's checkpoint (EngineOptions.CheckpointEvery must have
/// saved it, in an earlier Run). The branch then trains with its own schedule and optimizer settings: one
/// constant-learning-rate run serves many decay branches. Parent and branch share the problem, seed, sampler, batch
/// size, probes, device and optimizer type, so the branch's numbers are those of an uninterrupted run of the branch's
/// description whenever its schedule and settings equal the parent's up to the branch point.
/// </summary>
public sealed record Branch(Experiment Parent, int AfterEpoch)
{
    public IEnumerable<string> Errors(Experiment child)
    {
        var p = Parent;
        if (AfterEpoch < 1 || AfterEpoch > p.Epochs || AfterEpoch > child.Epochs)
            yield return $"Branch.AfterEpoch must be in [1, {Math.Min(p.Epochs, child.Epochs)}] (the parent's and the branch's epochs), got {AfterEpoch}";
        var differs = new (string Field, bool Same)[]
        {
            ("Problem", p.Problem == child.Problem), ("Seed", p.Seed == child.Seed), ("Sampler", p.Sampler == child.Sampler),
            ("BatchSize", p.BatchSize == child.BatchSize), ("Probes", p.Recorded == child.Recorded), ("Device", p.Device == child.Device),
            ("Optimizer type", p.Optimizer.GetType() == child.Optimizer.GetType() && p.Optimizer.Kernel == child.Optimizer.Kernel),
        }.Where(f => !f.Same).Select(f => f.Field).ToList();
        if (differs.Count > 0)
            yield return $"Experiment.From: a branch must share its parent's problem, seed, sampler, batch size, probes, device and optimizer type; " +
                $"these differ: {string.Join(", ", differs)}. Change only the schedule, the epochs or the optimizer's numbers";
        if (p.From is not null)
            yield return "Experiment.From: the parent is itself a branch; branch from the original run instead";
    }
}
