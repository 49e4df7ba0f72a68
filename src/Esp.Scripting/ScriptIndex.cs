using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Esp.Scripting;

/// <summary>
/// What a cached build of a script needs to be found without Roslyn: keyed by the script's path, its bytes and the
/// Esp assemblies, it lists the files the script #loads with their hashes, the build's hash and the options the
/// script reads. A hit (every listed file unchanged) skips parsing the script, which is most of a warm start's
/// compiler cost; anything changed falls back to the full parse, which writes a new index.
/// </summary>
static class ScriptIndex
{
    sealed record Source(string Path, string Sha256);
    sealed record Entry(string Hash, List<Source> Sources, DeclaredOptions Options);

    public static ParsedScript? TryRead(string fullPath, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        var file = PathOf(fullPath, cacheFolder, assemblies);
        if (!File.Exists(file)) return null;
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(file));
            if (entry is null || entry.Sources.Any(s => !File.Exists(s.Path) || Sha256(s.Path) != s.Sha256)) return null;
            return new ParsedScript(fullPath, null, entry.Sources.Select(s => s.Path).ToList(), entry.Options, entry.Hash, HasSyntaxErrors: false);
        }
        catch (JsonException) { return null; } // an index from another version: parse afresh
    }

    public static void Write(ParsedScript parsed, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        var entry = new Entry(parsed.Hash, parsed.SourceFiles.Select(f => new Source(f, Sha256(f))).ToList(), parsed.Options);
        Directory.CreateDirectory(cacheFolder);
        AtomicFile.WriteText(PathOf(parsed.FullPath, cacheFolder, assemblies), JsonSerializer.Serialize(entry));
    }

    static string PathOf(string fullPath, string cacheFolder, IEnumerable<Guid> assemblies)
    {
        var key = new StringBuilder(fullPath).Append('\0').Append(Sha256(fullPath));
        foreach (var id in assemblies) key.Append('\0').Append(id);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..24].ToLowerInvariant();
        return System.IO.Path.Combine(cacheFolder, hash + ".index.json");
    }

    static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
}
