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
        if (values is null) return [];
        if (ValueErrors(values, script) is { Count: > 0 } badValues) return badValues;
        if (script.Options.Computed.Count > 0) return [];
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

    /// <summary>Values that cannot be what the script reads them as (its fallback's literal type), before anything
    /// compiles: "--n abc" for <c>Args.Get("n", 5)</c>.</summary>
    static IReadOnlyList<string> ValueErrors(IReadOnlyDictionary<string, string> values, ParsedScript script) =>
        script.Options.Options.Where(o => values.ContainsKey(o.Name)).GroupBy(o => o.Name).Select(g => g.First())
            .Select(o => (o, Type: TypeOf(o.Type), Text: values[o.Name]))
            .Where(e => e.Type is not null && !Parses(e.Type, e.Text))
            .Select(e => $"--{e.o.Name} must be {ScriptArgs.Kind(e.Type!)}, got \"{e.Text}\" ({e.o.File}({e.o.Line}) reads it as " +
                $"Args.Get(\"{e.o.Name}\", {e.o.Fallback})): e.g. --{e.o.Name} {e.o.Fallback.Trim('"')}")
            .ToList();

    static Type? TypeOf(string? declared) => declared switch
    {
        "integer" or "int" => typeof(int),
        "long" => typeof(long),
        "number" or "double" => typeof(double),
        "true/false" or "bool" => typeof(bool),
        _ => null, // text, or a type only the compiled script knows
    };

    static bool Parses(Type t, string text) => t == typeof(int) ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
        : t == typeof(long) ? long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
        : t == typeof(double) ? double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
        : bool.TryParse(text, out _);

    /// <summary>esp-script's options that take no value: a "--NAME" followed by another option or by nothing is one of
    /// these misspelt, not a script option missing its value.</summary>
    public static readonly IReadOnlyList<string> Flags = ["quick", "resume", "images", "help"];

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
