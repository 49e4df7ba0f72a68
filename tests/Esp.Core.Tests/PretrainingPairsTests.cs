using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Esp.Core.Tests;

/// <summary>
/// BERT's pre-training data over generated corpora (paragraphs of 2 to 6 sentences of 1 to 15 ordinary tokens): every
/// pair is "&lt;cls&gt; a &lt;sep&gt; b &lt;sep&gt;" with the right segments, half of them true next sentences, max(1, round(0.15 n))
/// of each pair's n ordinary tokens predicted, 80 % of those masked, 10 % kept and 10 % replaced, specials never
/// chosen. Shares are checked within 4.5 binomial standard deviations (a false failure in about 1e5 cases).
/// </summary>
public class PretrainingPairsTests
{
    static readonly Vocabulary Words = Vocabulary.Of([.. Vocabulary.Specials, .. Enumerable.Range(0, 50).Select(i => $"w{i}")]);
    static readonly int[] Ordinary = Enumerable.Range(0, Words.Size).Except(Words.SpecialIds).ToArray();

    public sealed record Corpus(int[][][] Paragraphs, int Seed);

    static Arbitrary<Corpus> Corpora() =>
        (from count in Gen.Choose(20, 60)
         from paragraphs in Gen.Choose(2, 6).SelectMany(sentences =>
                 Gen.Choose(1, 15).SelectMany(length => Gen.Elements(Ordinary).ArrayOf(length)).ArrayOf(sentences)).ArrayOf(count)
         from seed in Gen.Choose(0, 1_000_000)
         select new Corpus(paragraphs.ToArray(), seed)).ToArbitrary();

    const int Roomy = 64; // longer than any generated pair (15 + 15 + 3): none is dropped

    static PretrainingPairs Build(Corpus c, int maxLength = Roomy) => PretrainingPairs.Build(c.Paragraphs, Words, maxLength, int.MaxValue, new Rng((ulong)c.Seed));

    static bool WithinBinomial(int hits, int trials, double p) => Math.Abs(hits - p * trials) <= 4.5 * Math.Sqrt(trials * p * (1 - p)) + 1;

    /// <summary>The pair's tokens before masking: the labels put back at the predicted positions.</summary>
    static long[] Unmasked(PretrainingPairs p, int k)
    {
        var tokens = p.Tokens[(k * p.MaxLength)..((k + 1) * p.MaxLength)];
        for (int j = 0; j < p.Slots && p.Weights[k * p.Slots + j] > 0; j++) tokens[p.Positions[k * p.Slots + j]] = p.Labels[k * p.Slots + j];
        return tokens;
    }

    [Property(MaxTest = 100)]
    public Property Each_pair_is_cls_a_sep_b_sep_with_segments_padding_and_a_true_next_sentence_when_marked() => Prop.ForAll(Corpora(), c =>
    {
        var p = Build(c);
        var next = c.Paragraphs.SelectMany(s => s.Zip(s.Skip(1))).ToLookup(e => string.Join(" ", e.First), e => string.Join(" ", e.Second));
        Assert.Equal(c.Paragraphs.Sum(s => s.Length - 1), p.Count); // one pair per sentence but the last, none dropped
        for (int k = 0; k < p.Count; k++)
        {
            var tokens = Unmasked(p, k);
            int length = (int)p.ValidLengths[k];
            int firstSep = Array.IndexOf(tokens, (long)Words.SepId);
            Assert.Equal(Words.ClsId, tokens[0]);
            Assert.Equal(Words.SepId, tokens[length - 1]);
            Assert.All(tokens[length..], t => Assert.Equal(Words.PadId, t));
            Assert.All(Enumerable.Range(0, p.MaxLength), i => Assert.Equal(i > firstSep && i < length ? 1 : 0, p.Segments[k * p.MaxLength + i]));
            if (p.IsNext[k] == 1)
                Assert.Contains(string.Join(" ", tokens[(firstSep + 1)..(length - 1)]), next[string.Join(" ", tokens[1..firstSep])]);
        }
        return WithinBinomial(p.IsNext.Count(n => n == 1), p.Count, 0.5);
    });

    [Property(MaxTest = 100)]
    public Property Fifteen_percent_of_ordinary_tokens_are_predicted_80_10_10_and_specials_never() => Prop.ForAll(Corpora(), c =>
    {
        var p = Build(c);
        int slots = 0, masked = 0, kept = 0;
        for (int k = 0; k < p.Count; k++)
        {
            var original = Unmasked(p, k);
            int ordinary = original.Take((int)p.ValidLengths[k]).Count(t => !Words.SpecialIds.Contains((int)t));
            int predicted = Enumerable.Range(0, p.Slots).Count(j => p.Weights[k * p.Slots + j] == 1);
            Assert.Equal(Math.Max(1, (int)Math.Round(0.15 * ordinary, MidpointRounding.ToEven)), predicted);
            for (int j = 0; j < p.Slots; j++)
            {
                int s = k * p.Slots + j;
                if (j >= predicted) { Assert.Equal(0f, p.Weights[s]); continue; } // padding slots come last
                long token = p.Tokens[k * p.MaxLength + p.Positions[s]];
                Assert.DoesNotContain((int)p.Labels[s], Words.SpecialIds);
                Assert.True(token == Words.MaskId || !Words.SpecialIds.Contains((int)token), "a replacement is an ordinary token");
                (slots, masked, kept) = (slots + 1, masked + (token == Words.MaskId ? 1 : 0), kept + (token == p.Labels[s] ? 1 : 0));
            }
        }
        // A random replacement equals the original with probability 1/|ordinary|, so "kept" is 0.1 + 0.1/|ordinary|.
        double keptShare = 0.1 + 0.1 / Ordinary.Length;
        Assert.Equal(PretrainingPairs.SlotsFor(Roomy), p.Slots);
        return WithinBinomial(masked, slots, 0.8) && WithinBinomial(kept, slots, keptShare) && WithinBinomial(slots - masked - kept, slots, 0.1 - 0.1 / Ordinary.Length);
    });

    [Property(MaxTest = 50)]
    public Property Pairs_longer_than_the_max_length_are_dropped_and_the_same_seed_gives_the_same_pairs() => Prop.ForAll(Corpora(), c =>
    {
        var p = Build(c, maxLength: 16);
        Assert.All(p.ValidLengths, length => Assert.InRange(length, 5, 16));
        var again = Build(c, maxLength: 16);
        Assert.Equal(p.Tokens, again.Tokens);
        Assert.Equal(p.Positions, again.Positions);
        Assert.Equal(p.IsNext, again.IsNext);
        return p.Count <= c.Paragraphs.Sum(s => s.Length - 1);
    });

    [Fact]
    public void The_shortest_pair_is_the_least_max_length_that_keeps_a_pair()
    {
        int[][][] paragraphs = [[[5, 6, 7], [8, 9], [10]], [[11, 12, 13, 14], [15, 16, 17]]];
        Assert.Equal(2 + 1 + 3, PretrainingPairs.ShortestPair(paragraphs)); // "8 9" then "10"
        var seeds = Enumerable.Range(0, 20).Select(seed => new Corpus(paragraphs, seed)).ToList();
        Assert.All(seeds, c => Assert.Equal(0, Build(c, maxLength: 5).Count));
        var kept = seeds.Select(c => Build(c, maxLength: 6)).ToList();
        Assert.All(kept.SelectMany(p => p.ValidLengths), length => Assert.Equal(6, length)); // only "8 9" + "10" fits, when drawn as the true next sentence
        Assert.Contains(kept, p => p.Count == 1);
    }
}
