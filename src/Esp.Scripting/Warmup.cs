namespace Esp.Scripting;

/// <summary>
/// Work a typical script will need, done on an idle core while the process starts and the script loads: the first
/// chart serialization (XPlot's Newtonsoft contracts, about 80 ms) and the JIT of the fused CPU loop for Adam (the
/// SIMD loops cannot be precompiled). Nothing here is kept or shown; a script that needs neither loses nothing but
/// the idle core's time.
/// </summary>
static class Warmup
{
    public static void Start() => Task.Run(() =>
    {
        try
        {
            Charts.Lines("warm-up", "x", "y", [new Curve("c", [0.0, 1.0], [1.0, 0.0])]).ToHtml();
            var tiny = new Experiment(new QuadraticProblem(N: 16, D: 16), new Adam(), Sampler.Shuffle, Epochs: 1, BatchSize: 4);
            Engine.Run([tiny], TextWriter.Null, options: new EngineOptions(Threads: 1));
        }
        catch (Exception) { } // only a warm-up: the script's own work reports any real problem
    });
}
