using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Esp;

/// <summary>
/// The tokenizer: Microsoft.ML.Tokenizers' WordPiece (lower-cased, split at whitespace and punctuation, then greedy
/// longest-match subwords with "##" marking a word's continuation, unknown pieces as &lt;unk&gt;) over a vocabulary
/// whose first entries are the specials &lt;pad&gt;, &lt;unk&gt;, &lt;cls&gt;, &lt;sep&gt;, &lt;mask&gt;.
/// </summary>
public sealed class Vocabulary
{
    public const string Pad = "<pad>", Unknown = "<unk>", Cls = "<cls>", Sep = "<sep>", Mask = "<mask>";
    public static readonly IReadOnlyList<string> Specials = [Pad, Unknown, Cls, Sep, Mask];

    static readonly ConcurrentDictionary<string, Lazy<Vocabulary>> built = new();

    readonly WordPieceTokenizer tokenizer;

    Vocabulary(IReadOnlyList<string> tokens)
    {
        Tokens = tokens;
        var ids = tokens.Select((t, i) => (t, i)).ToDictionary(e => e.t, e => e.i);
        (PadId, UnknownId, ClsId, SepId, MaskId) = (ids[Pad], ids[Unknown], ids[Cls], ids[Sep], ids[Mask]);
        SpecialIds = [PadId, UnknownId, ClsId, SepId, MaskId];
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", tokens) + "\n"));
        tokenizer = WordPieceTokenizer.Create(vocabulary, Options(Specials.ToDictionary(s => s, s => ids[s])));
    }

    public IReadOnlyList<string> Tokens { get; }
    public int Size => Tokens.Count;
    public int PadId { get; }
    public int UnknownId { get; }
    public int ClsId { get; }
    public int SepId { get; }
    public int MaskId { get; }
    public IReadOnlyList<int> SpecialIds { get; }

    /// <summary>The token ids of one sentence.</summary>
    public int[] Encode(string sentence) => tokenizer.EncodeToIds(sentence).ToArray();

    static WordPieceOptions Options(IReadOnlyDictionary<string, int> specials) => new()
    {
        Normalizer = LowerCaseNormalizer.Instance,
        PreTokenizer = PreTokenizer.CreateWordOrPunctuation(specials),
        SpecialTokens = specials,
        UnknownToken = Unknown,
        ContinuingSubwordPrefix = "##",
    };

    /// <summary>A vocabulary of exactly <paramref name="tokens"/> (ids by position), which must hold the five specials.</summary>
    public static Vocabulary Of(IReadOnlyList<string> tokens) => MissingSpecials(tokens) is { Count: > 0 } missing
        ? throw new ArgumentException($"the vocabulary lacks the specials {string.Join(", ", missing)}: add them (Vocabulary.Specials lists all five)")
        : new Vocabulary(tokens);

    /// <summary>The specials that <paramref name="tokens"/> lacks (a vocabulary must have all five).</summary>
    public static IReadOnlyList<string> MissingSpecials(IEnumerable<string> tokens) => Specials.Except(tokens).ToList();

    /// <summary>A vocabulary file's tokens, one a line, ids by line (as BERT's vocab.txt).</summary>
    public static Vocabulary FromFile(string path) => built.GetOrAdd("file:" + FileStamp.Of(path),
        _ => new Lazy<Vocabulary>(() => new Vocabulary(File.ReadAllLines(path).Where(line => line.Length > 0).ToList()))).Value;

    /// <summary>
    /// A vocabulary of at most <paramref name="size"/> entries built from <paramref name="sentences"/>, deterministically:
    /// the specials; then every character the words use, alone and as a "##" continuation, most frequent first; then
    /// whole words, most frequent first (ties in ordinal order). So every word the characters cover can be spelt,
    /// and frequent words are one token. Built once per content and size: cached in ~/.cache/esp/vocabulary (or
    /// $XDG_CACHE_HOME/esp/vocabulary) under the SHA-256 of the sentences and the size, checksummed.
    /// </summary>
    public static Vocabulary Build(IReadOnlyList<string> sentences, int size)
    {
        var hash = ContentHash(sentences, size);
        return built.GetOrAdd(hash, _ => new Lazy<Vocabulary>(() => Cached(Path.Combine(CacheFolder, hash + ".vocab"), sentences, size))).Value;
    }

    /// <summary>The vocabulary in cache file <paramref name="file"/>, or built and written there when the file is missing
    /// or corrupt (it is checksummed, so a changed entry is never read as tokens).</summary>
    internal static Vocabulary Cached(string file, IReadOnlyList<string> sentences, int size)
    {
        if (ChecksummedFile.ReadCached(file) is { } cached)
            return new Vocabulary(Encoding.UTF8.GetString(cached).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var tokens = Entries(sentences, size);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        ChecksummedFile.WriteBytes(file, Encoding.UTF8.GetBytes(string.Join("\n", tokens) + "\n"));
        return new Vocabulary(tokens);
    }

    static IReadOnlyList<string> Entries(IReadOnlyList<string> sentences, int size)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var splitter = Options(Specials.Select((s, i) => (s, i)).ToDictionary(e => e.s, e => e.i));
        foreach (var sentence in sentences)
        {
            var text = splitter.Normalizer!.Normalize(sentence);
            foreach (var (offset, length) in splitter.PreTokenizer!.PreTokenize(text))
            {
                var word = text.Substring(offset, length);
                words[word] = words.GetValueOrDefault(word) + 1;
            }
        }
        static IEnumerable<string> ByCount(IEnumerable<KeyValuePair<string, int>> counts) =>
            counts.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key);
        var characters = ByCount(words.SelectMany(w => w.Key.EnumerateRunes().Select(r => (r.ToString(), w.Value)))
            .GroupBy(e => e.Item1).Select(g => KeyValuePair.Create(g.Key, g.Sum(e => e.Value)))).ToList();
        return Specials.Concat(characters).Concat(characters.Select(c => "##" + c)).Concat(ByCount(words))
            .Distinct().Take(size).ToList();
    }

    static string ContentHash(IReadOnlyList<string> sentences, int size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"wordpiece v1, {size} entries\n"));
        foreach (var s in sentences) sha.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    static string CacheFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root)) root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "esp", "vocabulary");
        }
    }
}
