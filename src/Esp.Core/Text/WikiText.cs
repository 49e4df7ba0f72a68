using System.Collections.Concurrent;

namespace Esp;

/// <summary>
/// WikiText in its raw-token format (WikiText-2 or -103: wiki.train.tokens and wiki.valid.tokens in Folder), read as
/// the paper reads it: each line a paragraph, split into sentences at " . ", kept when it has two or more (headings
/// such as " = Title = " have one and drop out).
/// </summary>
public sealed record WikiText(string Folder) : TextCorpus
{
    public const string TrainFile = "wiki.train.tokens", ValidationFile = "wiki.valid.tokens";

    static readonly ConcurrentDictionary<string, Lazy<CorpusText>> cache = new(); // by the files' stamps

    public override string Label => $"wikitext {Folder}";

    public override IEnumerable<string> Errors()
    {
        var missing = new[] { TrainFile, ValidationFile }.Select(f => Path.Combine(Folder ?? "", f)).Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
            yield return $"WikiText: {string.Join(", ", missing)} not found: set WikiText.Folder to the folder of WikiText's raw files " +
                $"({TrainFile}, {ValidationFile}, as in wikitext-2-raw or wikitext-103-raw)";
    }

    internal override CorpusText Read() => cache.GetOrAdd(FileStamp.Of(Path.Combine(Folder, TrainFile)) + "\n" + FileStamp.Of(Path.Combine(Folder, ValidationFile)),
        _ => new Lazy<CorpusText>(() =>
    {
        IReadOnlyList<string[]> Paragraphs(string file) =>
            CorpusText.MultiSentence(File.ReadLines(Path.Combine(Folder, file)), line => line.Split(" . "));
        return new CorpusText(Paragraphs(TrainFile), Paragraphs(ValidationFile));
    })).Value;
}
