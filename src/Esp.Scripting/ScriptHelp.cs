namespace Esp.Scripting;

/// <summary>
/// The part of <c>dotnet esp-script SCRIPT.csx --help</c> about SCRIPT: the --NAME VALUE options it and its #load
/// files read with Args.Get, each with its fallback (as written, when a literal) and where it is read.
/// </summary>
public static class ScriptHelp
{
    public static string Text(ParsedScript script)
    {
        var file = script.FileName;
        var text = new System.Text.StringBuilder();
        var byName = script.Options.Options.GroupBy(o => o.Name).ToList();
        if (byName.Count == 0)
            text.AppendLine($"{file} reads no --NAME VALUE options (no Args.Get(\"NAME\", ...) in it or its #load files).");
        else
        {
            text.AppendLine($"options of {file} (read with Args.Get(\"NAME\", fallback); give them as --NAME VALUE):");
            int width = byName.Max(g => g.Key.Length) + 2;
            foreach (var reads in byName)
            {
                var first = reads.First();
                var fallbacks = string.Join(" or ", reads.Select(Fallback).Distinct());
                var type = reads.Select(o => o.Type).FirstOrDefault(t => t is not null);
                var where = string.Join(", ", reads.Select(o => $"{o.File}({o.Line})").Distinct());
                text.AppendLine($"  --{first.Name.PadRight(width)}{(type is null ? "" : type + ", ")}{fallbacks}   [{where}]");
            }
        }
        if (script.Options.Computed.Count > 0)
            text.AppendLine($"{file} also reads options whose names it computes ({string.Join(", ", script.Options.Computed)}): " +
                "those are not listed, and a --NAME it does not read is warned about only after the run.");
        return text.ToString();
    }

    static string Fallback(DeclaredOption o) =>
        o.FallbackIsLiteral ? $"default {o.Fallback}" : $"default computed by the script: {Shorten(o.Fallback)}";

    static string Shorten(string code)
    {
        var flat = string.Join(' ', code.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 40 ? flat : flat[..37] + "...";
    }
}
