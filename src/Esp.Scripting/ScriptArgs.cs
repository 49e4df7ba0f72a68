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
            : throw new ArgumentException($"--{name} must be {Kind(typeof(T))}, got \"{text}\"");
    }

    /// <summary>How an option's type reads in an error: "an integer", "a number", "true or false", or its name.</summary>
    public static string Kind(Type t) => t == typeof(int) || t == typeof(long) ? "an integer"
        : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? "a number"
        : t == typeof(bool) ? "true or false"
        : $"a {t.Name}";

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
