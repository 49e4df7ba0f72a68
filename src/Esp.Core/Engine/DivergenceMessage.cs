namespace Esp;

/// <summary>The message a diverged run leaves: which run, when, and what to try.</summary>
static class DivergenceMessage
{
    public static string For(int run, Experiment x, int epoch, int step, int globalStep, double loss) =>
        $"run {run} ({string.Join(", ", x.Settings().Take(5).Select(s => $"{s.Column}={Require.Show(s.Value)}"))}, sampler={x.Sampler.Name}, seed={x.Seed}) diverged: " +
        $"the batch loss became {(double.IsNaN(loss) ? "NaN" : loss > 0 ? "+Inf" : "-Inf")} at epoch {epoch}, step {step} (global step {globalStep}). " +
        "The run stopped there; its steps up to that point are kept. Lower the learning rate or raise eps.";
}
