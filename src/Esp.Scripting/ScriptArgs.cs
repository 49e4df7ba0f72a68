using System.Globalization;

namespace Esp.Scripting;

/// <summary>The command-line values a script sees as <c>Args</c>.</summary>
public sealed class ScriptArgs(CommandLine line)
{
    /// <summary>--quick: scale the experiment down for a smoke test.</summary>
    public bool Quick => line.Quick;

    /// <summary>--seed N (default 0).</summary>
    public int Seed => line.Seed;

    /// <summary>The script's name without extension ("fig19").</summary>
    public string Name => Path.GetFileNameWithoutExtension(line.Script);

    /// <summary>The value of --NAME, converted to the type of <paramref name="fallback"/>, or the fallback.</summary>
    public T Get<T>(string name, T fallback) where T : IParsable<T>
    {
        if (line.Values is null || !line.Values.TryGetValue(name, out var text)) return fallback;
        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{name} must be a {typeof(T).Name}, got \"{text}\"");
    }
}
