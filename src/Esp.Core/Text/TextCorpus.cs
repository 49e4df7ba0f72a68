namespace Esp;

/// <summary>
/// English text for pre-training, as the paper reads WikiText: paragraphs, each split into sentences, kept when
/// they have at least two sentences (a next-sentence pair needs two), split into training and validation paragraphs.
/// </summary>
public abstract record TextCorpus
{
    /// <summary>How results name the corpus, e.g. "fortunes".</summary>
    public abstract string Label { get; }

    /// <summary>Missing files and bad settings (field, value, fix); empty when the corpus can be read.</summary>
    public abstract IEnumerable<string> Errors();

    /// <summary>The paragraphs (sentences in order) with at least two sentences, training and validation.</summary>
    internal abstract CorpusText Read();
}

/// <summary>A corpus's paragraphs with two or more sentences each, as read from its files.</summary>
sealed record CorpusText(IReadOnlyList<string[]> Train, IReadOnlyList<string[]> Validation)
{
    /// <summary>The paragraphs of <paramref name="sentencesOf"/>'s splits that have at least two sentences.</summary>
    public static IReadOnlyList<string[]> MultiSentence(IEnumerable<string> paragraphs, Func<string, IEnumerable<string>> sentencesOf) =>
        paragraphs.Select(p => sentencesOf(p).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray()).Where(s => s.Length >= 2).ToList();
}
