using System.Runtime.InteropServices;

namespace Esp.Scripting;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM as a cancellation: the engine stops at its next step, the runner removes the
/// temporary output, keeps the previous results and exits with 130 (SIGINT) or 143 (SIGTERM). Code that never
/// reaches a cancellation point (a script's own long loop) gets <see cref="Grace"/> to stop; then the registered
/// clean-ups run and the process exits with the same code.
/// </summary>
public sealed class Interrupt : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    readonly CancellationTokenSource source = new();
    readonly List<Action> cleanups = [];
    readonly List<PosixSignalRegistration> registrations = [];
    readonly TextWriter log;

    public Interrupt(TextWriter log) => this.log = log;

    /// <summary>Listens for SIGINT and SIGTERM (the esp-script tool; tests use <see cref="Request"/>).</summary>
    public static Interrupt OnSignals(TextWriter log)
    {
        var interrupt = new Interrupt(log);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            interrupt.registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we exit ourselves, after cleaning up
                interrupt.Request(context.Signal);
            }));
        return interrupt;
    }

    public CancellationToken Token => source.Token;

    /// <summary>The signal that stopped the run, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code for the signal: 128 + its number, as shells report it.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    public string SignalName => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";

    /// <summary>Something to undo if the run does not stop within the grace period (e.g. delete the staging folder).</summary>
    public void OnForcedExit(Action cleanup)
    {
        lock (cleanups) cleanups.Add(cleanup);
    }

    public void Request(PosixSignal signal)
    {
        if (Signal is not null) return;
        Signal = signal;
        log.WriteLine();
        log.WriteLine($"esp-script: {SignalName} received: stopping the runs, removing temporary output, keeping the previous results");
        source.Cancel();
        if (registrations.Count == 0) return; // in-process (tests): the caller waits for the cancellation
        _ = Task.Delay(Grace).ContinueWith(_ =>
        {
            lock (cleanups)
                foreach (var cleanup in cleanups)
                    try { cleanup(); } catch (IOException) { } // best effort: the process is leaving
            log.WriteLine($"esp-script: the script did not stop within {Grace.TotalSeconds:F0} s of {SignalName}; exiting");
            Environment.Exit(ExitCode);
        });
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        source.Dispose();
    }
}
