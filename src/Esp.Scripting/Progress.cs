using System.Diagnostics;

namespace Esp.Scripting;

/// <summary>
/// Progress of a Run call on stderr: runs done, steps done (within epochs too), steps/s, elapsed and time left. On a
/// terminal a live line, redrawn at most 4 times a second; otherwise (CI logs, pipes) a plain line every 2 s. A timer
/// prints at least every 2 s even when no step has finished meanwhile, so a slow step is never silence. Time left
/// comes from measured step times per kind of run (<see cref="Shard.KindOf"/>), scaled within a kind by the cost model
/// (<see cref="Shard.Cost"/>): a grid of quick quadratic runs and slow networks is not timed at one average rate.
/// Steps a resumed run had taken before its checkpoint, and those a diverged run never takes, count as done but are
/// not timed, so the count ends at the total.
/// </summary>
public sealed class Progress : IDisposable
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(2), Redraw = TimeSpan.FromSeconds(0.25);

    readonly TextWriter writer;
    readonly bool live;
    readonly Func<TimeSpan> now;
    readonly Timer? timer;
    readonly object gate = new();
    readonly Dictionary<int, long> reported = [];
    readonly Dictionary<int, TimeSpan> seen = []; // when each run last reported
    readonly Dictionary<int, Experiment> going = []; // runs that have reported and are not done
    readonly Dictionary<string, Kind> kinds = [];
    TimeSpan started, lastPrinted;
    int runs, done, workers = 1;
    long totalSteps, stepsDone, computed;
    double costComputed; // the cost of the steps computed now (not replayed), all kinds together
    bool running;

    /// <summary>One kind of run: its cost still to go (cost model units) and, summed over its runs, the worker time they
    /// took for the cost they did since each was first seen (a run holds one worker while it runs), both fading with a
    /// time constant of <see cref="Memory"/>: what runs beside a kind changes its speed (two networks sharing the cores
    /// go slower than one beside quick fused runs), and the recent speed is the one the rest will see.</summary>
    sealed class Kind(double costPerStep)
    {
        public readonly double CostPerStep = costPerStep;
        public double CostTotal, CostLeft, Measured, Seconds;
        TimeSpan updated;
        public double SecondsPerCost => Measured > 0 && Seconds > 0 ? Seconds / Measured : double.NaN;

        public void Timed(double cost, double seconds, TimeSpan now)
        {
            double keep = Math.Exp(-(now - updated).TotalSeconds / Memory.TotalSeconds);
            (Measured, Seconds, updated) = (Measured * keep + cost, Seconds * keep + seconds, now);
        }
    }

    static readonly TimeSpan Memory = TimeSpan.FromSeconds(3);

    /// <summary><paramref name="clock"/> replaces the wall clock and the timer (tests drive <see cref="Tick"/>).</summary>
    public Progress(TextWriter writer, bool live, Func<TimeSpan>? clock = null)
    {
        // the timer, the engine's log lines and the runs' reports write from different threads
        (this.writer, this.live) = (TextWriter.Synchronized(writer), live);
        var watch = Stopwatch.StartNew();
        now = clock ?? (() => watch.Elapsed);
        if (clock is null) timer = new Timer(_ => Tick(), null, Every, Every);
    }

    public TextWriter Log => writer;

    /// <summary>Starts the count for <paramref name="grid"/>, whose runs go <paramref name="workers"/> at a time.</summary>
    public void Start(IReadOnlyList<Experiment> grid, int workers = 1)
    {
        lock (gate)
        {
            this.workers = Math.Max(1, workers);
            (runs, done, totalSteps, stepsDone, computed, costComputed, running) = (grid.Count, 0, grid.Sum(x => (long)x.TotalSteps), 0, 0, 0, true);
            reported.Clear();
            seen.Clear();
            going.Clear();
            kinds.Clear();
            foreach (var x in grid) KindFor(x).CostTotal = KindFor(x).CostLeft += Shard.Cost(x);
            started = lastPrinted = now();
        }
    }

    Kind KindFor(Experiment x)
    {
        var key = Shard.KindOf(x);
        if (!kinds.TryGetValue(key, out var kind)) kinds[key] = kind = new Kind(Shard.StepCost(x));
        return kind;
    }

    public void RunDone(RunRecord record)
    {
        lock (gate)
        {
            done++;
            going.Remove(record.Run);
            // a run that stopped early (diverged) never takes its last steps: they are done, untimed
            long rest = record.Experiment.TotalSteps - reported.GetValueOrDefault(record.Run);
            if (rest > 0) Add(record.Run, record.Experiment, rest, timed: false);
            Print(force: done == runs);
            if (done == runs) running = false;
        }
    }

    /// <summary>Steps a run has taken (the engine reports them every few steps).</summary>
    public void Steps(StepsDone steps)
    {
        lock (gate)
        {
            Add(steps.Run, steps.X, steps.Steps, timed: !steps.Replayed);
            Print(force: false);
        }
    }

    void Add(int run, Experiment x, long steps, bool timed)
    {
        reported[run] = reported.GetValueOrDefault(run) + steps;
        stepsDone += steps;
        var kind = KindFor(x);
        kind.CostLeft -= steps * kind.CostPerStep;
        if (!timed) return;
        computed += steps;
        costComputed += steps * kind.CostPerStep;
        var t = now();
        if (seen.TryGetValue(run, out var last)) // the steps before a run's first report ran for an unknown time
            kind.Timed(steps * kind.CostPerStep, (t - last).TotalSeconds, t);
        seen[run] = t;
        if (reported[run] < x.TotalSteps) going[run] = x;
    }

    /// <summary>
    /// The seconds left: each kind's remaining cost at its measured worker time per cost unit (a kind not yet measured
    /// at that of those that are), divided among the workers (or the runs left, if fewer): runs share the cores, so their
    /// times add up per worker, not in sequence. A run holds one worker, so no less than the longest that one running run
    /// still needs. Runs too short to report twice (one step each) are never measured alone: until some kind is, every
    /// kind goes at the grid's own rate so far, the workers' time per cost computed. NaN until any step is computed.
    /// </summary>
    double SecondsLeft()
    {
        var measured = kinds.Values.Where(k => !double.IsNaN(k.SecondsPerCost)).ToList();
        if (measured.Count == 0 && costComputed == 0) return double.NaN;
        double fallback = measured.Count > 0 ? measured.Sum(k => k.Seconds) / measured.Sum(k => k.Measured)
            : (now() - started).TotalSeconds * Math.Clamp(runs, 1, workers) / costComputed;
        double Rate(Kind k) => double.IsNaN(k.SecondsPerCost) ? fallback : k.SecondsPerCost;
        int workersBusy = Math.Clamp(runs - done, 1, workers);
        double shared = kinds.Values.Sum(k => Math.Max(0, k.CostLeft) * Rate(k)) / workersBusy;
        double longest = going.Select(e => (e.Value.TotalSteps - reported[e.Key]) * Rate(KindFor(e.Value)) * KindFor(e.Value).CostPerStep).DefaultIfEmpty(0).Max();
        return Math.Max(shared, longest);
    }

    /// <summary>The seconds elapsed and the estimate of those left, as the line would show them now, and the share of the
    /// grid's work (the cost model's) done.</summary>
    internal (double Elapsed, double Left, double Done) Estimate()
    {
        lock (gate)
        {
            double total = Math.Max(1e-9, kinds.Values.Sum(k => k.CostTotal));
            return ((now() - started).TotalSeconds, SecondsLeft(), 1 - kinds.Values.Sum(k => Math.Max(0, k.CostLeft)) / total);
        }
    }

    /// <summary>Prints the line now if 2 s have passed since the last (the timer calls it; so can a test).</summary>
    public void Tick()
    {
        lock (gate)
            if (running) Print(force: now() - lastPrinted >= Every);
    }

    void Print(bool force)
    {
        var t = now();
        if (!force && t - lastPrinted < (live ? Redraw : Every)) return;
        lastPrinted = t;
        var elapsed = t - started;
        double rate = computed / Math.Max(elapsed.TotalSeconds, 1e-9);
        double left = SecondsLeft();
        Show($"runs {done}/{runs}  steps {stepsDone}/{totalSteps}  {rate:F0} steps/s  elapsed {elapsed.TotalSeconds:F1} s  " +
             $"left {(double.IsNaN(left) ? "?" : $"{left:F1} s")}");
    }

    void Show(string line)
    {
        if (live) writer.Write($"\r{line}   ");
        else writer.WriteLine(line);
    }

    /// <summary>Rows of steps.csv written so far, of <paramref name="total"/>.</summary>
    public void Writing(long rows, long total)
    {
        lock (gate)
        {
            var t = now();
            if (rows < total && t - lastPrinted < (live ? Redraw : Every)) return;
            lastPrinted = t;
            Show($"writing steps.csv: {rows}/{total} rows");
            if (rows == total && live) writer.WriteLine();
        }
    }

    public void Finish()
    {
        lock (gate)
        {
            running = false;
            if (live) writer.WriteLine();
        }
    }

    public void Dispose() => timer?.Dispose();
}
