using System.Diagnostics;

namespace Esp.Scripting;

/// <summary>
/// Progress of a Run call on stderr: a live line (runs done, steps/s, time left) on a terminal, plain
/// lines at most every few seconds otherwise (CI logs, pipes).
/// </summary>
public sealed class Progress(TextWriter writer, bool live)
{
    readonly Stopwatch clock = new();
    TimeSpan lastPrinted;
    int runs, done;
    long totalSteps, stepsDone;

    public TextWriter Log => writer;

    public void Start(IReadOnlyList<Experiment> grid)
    {
        (runs, done, totalSteps, stepsDone) = (grid.Count, 0, grid.Sum(x => (long)x.TotalSteps), 0);
        clock.Restart();
        lastPrinted = TimeSpan.Zero;
    }

    public void RunDone(RunRecord record)
    {
        done++;
        stepsDone += record.Experiment.TotalSteps;
        var elapsed = clock.Elapsed;
        if (!live && done < runs && elapsed - lastPrinted < TimeSpan.FromSeconds(5)) return;
        lastPrinted = elapsed;
        double rate = stepsDone / Math.Max(elapsed.TotalSeconds, 1e-9);
        double left = (totalSteps - stepsDone) / Math.Max(rate, 1e-9);
        var line = $"runs {done}/{runs}  {rate:F0} steps/s  elapsed {elapsed.TotalSeconds:F1} s  left {left:F1} s";
        if (live) writer.Write($"\r{line}   ");
        else writer.WriteLine(line);
    }

    public void Finish()
    {
        if (live) writer.WriteLine();
    }
}
