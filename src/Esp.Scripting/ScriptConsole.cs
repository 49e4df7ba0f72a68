namespace Esp.Scripting;

/// <summary>
/// Where a script's Console.Write goes: scripts print with Console, which is one per process, so the host installs
/// this writer as Console.Out once and each script run routes it to its own output for as long as it runs
/// (<see cref="Use"/>, flowing with the run's async execution). Two scripts running at once in one process (tests)
/// then print each to its own output; code outside a script prints where Console.Out printed before.
/// </summary>
sealed class ScriptConsole : TextWriter
{
    static readonly ScopedValue<TextWriter> target = new();
    static readonly object installing = new();
    readonly TextWriter original;

    ScriptConsole(TextWriter original) => this.original = original;

    public override System.Text.Encoding Encoding => original.Encoding;

    TextWriter Out => target.Value ?? original;

    public override void Write(char value) => Out.Write(value);
    public override void Write(string? value) => Out.Write(value);
    public override void Write(char[] buffer, int index, int count) => Out.Write(buffer, index, count);
    public override void WriteLine(string? value) => Out.WriteLine(value);
    public override void WriteLine() => Out.WriteLine();
    public override void Flush() => Out.Flush();

    /// <summary>Routes Console.Out to <paramref name="output"/> for the current run until the scope is disposed.</summary>
    public static IDisposable Use(TextWriter output)
    {
        lock (installing)
            if (Console.Out is not ScriptConsole) Console.SetOut(new ScriptConsole(Console.Out));
        return target.Use(output);
    }
}
