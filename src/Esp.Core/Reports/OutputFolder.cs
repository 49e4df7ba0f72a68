namespace Esp;

/// <summary>
/// Where relative result paths (figures, reports) go for the code running now. The script host sets it to
/// the run's staging folder; it flows with the script's async execution, so concurrent scripts don't mix.
/// </summary>
public static class OutputFolder
{
    static readonly AsyncLocal<string?> current = new();

    /// <summary>The folder, or the working directory when nobody set one.</summary>
    public static string Current
    {
        get => current.Value ?? Directory.GetCurrentDirectory();
        set => current.Value = value;
    }

    public static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Current, path);
}
