namespace Esp;

/// <summary>The message a diverged or exploded run leaves: which run, when, and what to try.</summary>
static class DivergenceMessage
{
    static string Run(int run, Experiment x) =>
        $"run {run} ({string.Join(", ", x.Settings().Take(5).Select(s => $"{s.Column}={Require.Show(s.Value)}"))}, sampler={x.Sampler.Name}, seed={x.Seed})";

    public static string For(int run, Experiment x, int epoch, int step, int globalStep, double loss) =>
        $"{Run(run, x)} diverged: " +
        $"the batch loss became {(double.IsNaN(loss) ? "NaN" : loss > 0 ? "+Inf" : "-Inf")} at epoch {epoch}, step {step} (global step {globalStep}). " +
        "The run stopped there; its steps up to that point are kept. Lower the learning rate or raise eps.";

    public static string Exploded(int run, Experiment x, Explosion e) =>
        $"{Run(run, x)} exploded: the mean batch loss of global steps {e.Step}..{e.Step + e.Window - 1} reached {e.Loss:G4}, over " +
        $"{Explosion.Factor:G}x its start ({e.Start:G4}, the mean of the first {e.Window} steps), from epoch {e.Step / x.StepsPerEpoch}, " +
        $"step {e.Step % x.StepsPerEpoch}. The run went on " +
        "to the end; group means, metric plots and colour scales leave it out. Lower the learning rate or raise eps or beta2.";
}
