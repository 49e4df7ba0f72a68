namespace Esp.Scripting;

/// <summary>
/// Refuses a <c>--NAME VALUE</c> that neither the script nor esp-script reads, before anything compiles or runs:
/// a misspelt option would otherwise be ignored silently and the script would run on its fallback.
/// </summary>
public static class OptionCheck
{
    /// <summary>esp-script's own options (CommandLine.Parse), also candidates for "did you mean".</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["out", "quick", "seed", "cache", "help", "resume", "shard", "shards", "tensorboard"];

    /// <summary>
    /// The error lines for the values the script does not read, or none. When the script reads an option whose
    /// name it computes, any name may be read, so nothing is refused here (ScriptArgs warns after the run).
    /// </summary>
    public static IReadOnlyList<string> Errors(CommandLine line, ParsedScript script)
    {
        var values = line.Values;
        if (values is null || script.Options.Computed.Count > 0) return [];
        var known = script.Options.Names;
        var unknown = values.Keys.Where(name => !known.Contains(name)).ToList();
        if (unknown.Count == 0) return [];
        var file = script.FileName;
        var errors = unknown.Select(name =>
            $"--{name} is not an option of {file} or of esp-script" +
            (Closest(name, known.Concat(BuiltIn)) is string near ? $"; did you mean --{near}?" : "")).ToList();
        errors.Add(known.Count == 0
            ? $"{file} reads no --NAME options (no Args.Get(\"NAME\", ...) in it or its #load files)"
            : $"{file} reads {string.Join(", ", known.Select(n => "--" + n))}");
        errors.Add($"esp-script's own options are {string.Join(", ", BuiltIn.Select(n => "--" + n))}; " +
            $"run {line.Script} with --help to list them all");
        return errors;
    }

    /// <summary>The candidate nearest to <paramref name="name"/> by edit distance, if near enough to be a typo.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var (best, distance) = candidates.Select(c => (c, Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(p => p.Item2).FirstOrDefault();
        // a third of the letters wrong, at least one: "lrr" -> "lr", "beat2" -> "beta2", but not "x" -> "lr"
        return best is not null && distance <= Math.Max(1, (name.Length + 1) / 3) && distance < best.Length ? best : null;
    }

    /// <summary>Edit distance where swapping two neighbouring letters counts once (optimal string alignment).</summary>
    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
