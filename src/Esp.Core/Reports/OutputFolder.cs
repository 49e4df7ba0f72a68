namespace Esp;

/// <summary>
/// Where relative result paths (figures, reports) go for the code running now. The script host makes it the run's
/// staging folder for the script's run (<see cref="Use"/>), and the folder before it again afterwards; it flows with
/// the script's async execution, so concurrent scripts don't mix.
/// </summary>
public static class OutputFolder
{
    static readonly ScopedValue<string> current = new();

    /// <summary>The folder, or the working directory when nobody set one.</summary>
    public static string Current => current.Value ?? Directory.GetCurrentDirectory();

    /// <summary>Makes <paramref name="folder"/> the output folder until the returned scope is disposed, then the one before.</summary>
    public static IDisposable Use(string folder) => current.Use(folder);

    public static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Current, path);
}
