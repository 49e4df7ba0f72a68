using System.Security.Cryptography;
using System.Text;

namespace Esp.Scripting;

/// <summary>
/// What a cached build of a script needs to be found without Roslyn: keyed by the script's path, its bytes and the
/// Esp assemblies, it lists the files the script #loads with their hashes, the build's hash and the options the
/// script reads. A hit (every listed file unchanged) skips parsing the script, which is most of a warm start's
/// compiler cost; anything changed falls back to the full parse, which writes a new index. The index is lines of
/// tab-separated, percent-escaped fields (a JSON serializer's first use would cost a warm start more than the rest),
/// checksummed (<see cref="ChecksummedFile"/>): a corrupt index is parsed afresh.
/// </summary>
static class ScriptIndex
{
    const string Version = "esp-script-index 2";

    public static ParsedScript? TryRead(string fullPath, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        if (ChecksummedFile.ReadCached(PathOf(fullPath, cacheFolder, assemblies)) is not { } content) return null; // none, or corrupt: parse afresh
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t').Select(Uri.UnescapeDataString).ToArray()).ToList();
        if (lines.Count < 2 || lines[0] is not [Version] || lines[1] is not ["hash", var hash]) return null; // another version: parse afresh
        var sources = new List<string>();
        var options = new List<DeclaredOption>();
        var computed = new List<string>();
        foreach (var fields in lines.Skip(2))
            switch (fields)
            {
                case ["source", var sha, var path]:
                    if (!File.Exists(path) || Sha256(path) != sha) return null;
                    sources.Add(path);
                    break;
                case ["option", var name, var fallback, var literal, var type, var at, var line]:
                    options.Add(new DeclaredOption(name, fallback, literal == "1", type == "" ? null : type, at, int.Parse(line)));
                    break;
                case ["computed", var where]: computed.Add(where); break;
                default: return null;
            }
        return new ParsedScript(fullPath, null, sources, new DeclaredOptions(options, computed), hash, HasSyntaxErrors: false);
    }

    public static void Write(ParsedScript parsed, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        static string Line(params string[] fields) => string.Join('\t', fields.Select(Uri.EscapeDataString));
        var lines = new List<string> { Version, Line("hash", parsed.Hash) };
        lines.AddRange(parsed.SourceFiles.Select(f => Line("source", Sha256(f), f)));
        lines.AddRange(parsed.Options.Options.Select(o =>
            Line("option", o.Name, o.Fallback, o.FallbackIsLiteral ? "1" : "0", o.Type ?? "", o.File, o.Line.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        lines.AddRange(parsed.Options.Computed.Select(c => Line("computed", c)));
        Directory.CreateDirectory(cacheFolder);
        ChecksummedFile.WriteBytes(PathOf(parsed.FullPath, cacheFolder, assemblies), Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
    }

    static string PathOf(string fullPath, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        var key = new StringBuilder(fullPath).Append('\0').Append(Sha256(fullPath));
        foreach (var id in assemblies) key.Append('\0').Append(id);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..24].ToLowerInvariant();
        return System.IO.Path.Combine(cacheFolder, hash + ".index");
    }

    static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
