using System.Globalization;

namespace Esp.Scripting;

/// <summary>The command-line values a script sees as <c>Args</c>.</summary>
public sealed class ScriptArgs(CommandLine line)
{
    readonly HashSet<string> read = [];

    /// <summary>--quick: scale the experiment down for a smoke test.</summary>
    public bool Quick => line.Quick;

    /// <summary>--seed N (default 0).</summary>
    public int Seed => line.Seed;

    /// <summary>The script's name without extension ("fig19").</summary>
    public string Name => Path.GetFileNameWithoutExtension(line.Script);

    /// <summary>The value of --NAME, converted to the type of <paramref name="fallback"/>, or the fallback.</summary>
    public T Get<T>(string name, T fallback) where T : IParsable<T>
    {
        lock (read) read.Add(name); // scripts may read options from parallel code
        if (line.Values is null || !line.Values.TryGetValue(name, out var text)) return fallback;
        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{name} must be a {typeof(T).Name}, got \"{text}\"");
    }

    /// <summary>
    /// The --NAME values given that no Args.Get read: the backstop of <see cref="OptionCheck"/> for options read
    /// only on some paths, or under a computed name.
    /// </summary>
    public IReadOnlyList<string> Unread
    {
        get
        {
            lock (read) return line.Values?.Keys.Where(name => !read.Contains(name)).ToList() ?? [];
        }
    }
}
