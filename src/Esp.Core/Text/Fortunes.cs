using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Esp;

/// <summary>
/// The fortune cookies of Debian's fortunes package (/usr/share/games/fortunes, or Folder): about 15 000 entries of
/// English prose, quotations and jokes (440 000 words), 5 401 of them with two or more sentences once attribution
/// lines are dropped (5 130 for training, 271 held out). Chosen as the default corpus over wordnet-base, whose
/// 46 000 multi-sentence glosses are a definition followed by usage examples rather than sentences that follow one
/// another, which is what next-sentence prediction learns.
/// An entry is a paragraph (attribution lines starting with "--" dropped), split into sentences after '.', '!'
/// or '?' followed by a space. Every ValidationEvery-th multi-sentence entry (in file-name order) is held out.
/// </summary>
public sealed record Fortunes(string? Folder = null, int ValidationEvery = 20) : TextCorpus
{
    public const string DebianFolder = "/usr/share/games/fortunes";

    static readonly ConcurrentDictionary<(string, int), Lazy<CorpusText>> cache = new(); // by the files' stamps
    static readonly Regex SentenceEnd = new(@"(?<=[.!?])\s+", RegexOptions.Compiled);
    static readonly Regex Attribution = new(@"^\s*--", RegexOptions.Compiled);

    public override string Label => Folder is null ? "fortunes" : $"fortunes {Folder}";

    string Directory => Folder ?? DebianFolder;

    /// <summary>The fortune files: regular files without an extension (the .dat indexes and .u8 copies are skipped).</summary>
    IEnumerable<string> Files() => System.IO.Directory.EnumerateFiles(Directory)
        .Where(f => !Path.GetFileName(f).Contains('.')).Order(StringComparer.Ordinal);

    public override IEnumerable<string> Errors()
    {
        if (ValidationEvery < 2) yield return $"Fortunes.ValidationEvery must be >= 2, got {ValidationEvery}: use e.g. 20 (one entry in 20 held out)";
        if (!System.IO.Directory.Exists(Directory) || !Files().Any())
            yield return $"Fortunes: no fortune files in {Directory}: install Debian's package (apt-get install fortunes), " +
                "or set Fortunes.Folder to a folder of fortune files (entries separated by lines holding a single %)";
    }

    internal override CorpusText Read() => cache.GetOrAdd((string.Join("\n", Files().Select(FileStamp.Of)), ValidationEvery), _ => new Lazy<CorpusText>(() =>
    {
        var entries = Files().SelectMany(f => File.ReadAllText(f).Replace("\r\n", "\n").Split("\n%\n"))
            .Select(e => string.Join(" ", e.Split('\n').Where(line => !Attribution.IsMatch(line)).Select(line => line.Trim())));
        var paragraphs = CorpusText.MultiSentence(entries, e => SentenceEnd.Split(e));
        return new CorpusText(paragraphs.Where((_, i) => i % ValidationEvery != 0).ToList(), paragraphs.Where((_, i) => i % ValidationEvery == 0).ToList());
    })).Value;
}
