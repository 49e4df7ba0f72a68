using System.Diagnostics;

namespace Esp.Scripting;

/// <summary>
/// Progress of a Run call on stderr: a live line (runs done, steps done within long runs, steps/s, time left) on a
/// terminal, updated at most 4 times a second, plain lines at most every few seconds otherwise (CI logs, pipes);
/// and the rows written while steps.csv is written.
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
        Print(force: done == runs);
    }

    /// <summary>Steps of an epoch some run completed.</summary>
    public void EpochDone(int steps)
    {
        stepsDone += steps;
        Print(force: false);
    }

    void Print(bool force)
    {
        var elapsed = clock.Elapsed;
        if (!force && elapsed - lastPrinted < (live ? TimeSpan.FromSeconds(0.25) : TimeSpan.FromSeconds(5))) return;
        lastPrinted = elapsed;
        double rate = stepsDone / Math.Max(elapsed.TotalSeconds, 1e-9);
        double left = Math.Max(0, totalSteps - stepsDone) / Math.Max(rate, 1e-9);
        Show($"runs {done}/{runs}  steps {stepsDone}/{totalSteps}  {rate:F0} steps/s  elapsed {elapsed.TotalSeconds:F1} s  left {left:F1} s");
    }

    void Show(string line)
    {
        if (live) writer.Write($"\r{line}   ");
        else writer.WriteLine(line);
    }

    /// <summary>Rows of steps.csv written so far, of <paramref name="total"/>.</summary>
    public void Writing(long rows, long total)
    {
        var elapsed = clock.Elapsed;
        if (rows < total && elapsed - lastPrinted < (live ? TimeSpan.FromSeconds(0.25) : TimeSpan.FromSeconds(5))) return;
        lastPrinted = elapsed;
        Show($"writing steps.csv: {rows}/{total} rows");
        if (rows == total && live) writer.WriteLine();
    }

    public void Finish()
    {
        if (live) writer.WriteLine();
    }
}
