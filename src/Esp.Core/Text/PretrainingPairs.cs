namespace Esp;

/// <summary>
/// BERT's pre-training examples, built once as the paper's bert.py builds them (so the masks are static across
/// epochs): for each sentence of a paragraph but the last, a next-sentence pair of it and, with probability 1/2,
/// the true next sentence (IsNext 1), else a random sentence of a random paragraph (IsNext 0); a pair is
/// "&lt;cls&gt; a &lt;sep&gt; b &lt;sep&gt;" with segments 0 then 1, dropped when it is longer than MaxLength. Then
/// max(1, round(0.15 n)) of its n non-special tokens are chosen for prediction: each replaced by &lt;mask&gt; with
/// probability 0.8, kept with 0.1, or replaced by a random non-special token with 0.1. Every pair has Slots =
/// round(0.15 MaxLength) prediction slots (position, label, weight 1), padded with weight 0; tokens are padded
/// with &lt;pad&gt; to MaxLength. Arrays are row-major: [Count, MaxLength] and [Count, Slots].
/// </summary>
sealed record PretrainingPairs(int Count, int MaxLength, int Slots, long[] Tokens, long[] Segments, long[] ValidLengths,
    long[] Positions, long[] Labels, float[] Weights, long[] IsNext)
{
    public const double PredictedShare = 0.15, MaskShare = 0.8, KeepShare = 0.1;

    /// <summary>Prediction slots per pair: round(0.15 max length), Python's rounding (half to even) as the paper.</summary>
    public static int SlotsFor(int maxLength) => (int)Math.Round(PredictedShare * maxLength, MidpointRounding.ToEven);

    /// <summary>Predicted positions of a pair with <paramref name="candidates"/> non-special tokens.</summary>
    public static int PredictionsFor(int candidates) => Math.Max(1, (int)Math.Round(PredictedShare * candidates, MidpointRounding.ToEven));

    /// <summary>The shortest pair of consecutive sentences, with its three specials: the least MaxLength that keeps any pair.</summary>
    public static int ShortestPair(IReadOnlyList<int[][]> paragraphs) =>
        paragraphs.SelectMany(p => p.Zip(p.Skip(1), (a, b) => a.Length + b.Length + 3)).DefaultIfEmpty(int.MaxValue).Min();

    /// <summary>At most <paramref name="maxPairs"/> pairs from <paramref name="paragraphs"/> (sentences as token ids),
    /// visiting the paragraphs in an order shuffled once by <paramref name="rng"/>, which also draws the pairs and masks.</summary>
    public static PretrainingPairs Build(IReadOnlyList<int[][]> paragraphs, Vocabulary vocabulary, int maxLength, int maxPairs, Rng rng)
    {
        var order = Enumerable.Range(0, paragraphs.Count).ToArray();
        rng.Shuffle(order);
        var pairs = new List<(int[] A, int[] B, bool IsNext)>();
        foreach (var p in order)
        {
            var paragraph = paragraphs[p];
            for (int i = 0; i + 1 < paragraph.Length && pairs.Count < maxPairs; i++)
            {
                bool isNext = rng.NextDouble() < 0.5;
                var b = isNext ? paragraph[i + 1] : RandomSentence(paragraphs, rng);
                if (paragraph[i].Length + b.Length + 3 <= maxLength) pairs.Add((paragraph[i], b, isNext));
            }
            if (pairs.Count >= maxPairs) break;
        }
        return Mask(pairs, vocabulary, maxLength, rng);
    }

    static int[] RandomSentence(IReadOnlyList<int[][]> paragraphs, Rng rng)
    {
        var paragraph = paragraphs[rng.NextInt(paragraphs.Count)];
        return paragraph[rng.NextInt(paragraph.Length)];
    }

    static PretrainingPairs Mask(IReadOnlyList<(int[] A, int[] B, bool IsNext)> pairs, Vocabulary vocabulary, int maxLength, Rng rng)
    {
        int count = pairs.Count, slots = SlotsFor(maxLength);
        var specials = vocabulary.SpecialIds.ToHashSet();
        var ordinary = Enumerable.Range(0, vocabulary.Size).Where(id => !specials.Contains(id)).ToArray();
        var tokens = new long[count * maxLength];
        Array.Fill(tokens, vocabulary.PadId);
        var (segments, validLengths, positions, labels, weights, isNext) =
            (new long[count * maxLength], new long[count], new long[count * slots], new long[count * slots], new float[count * slots], new long[count]);
        for (int k = 0; k < count; k++)
        {
            var (a, b, next) = pairs[k];
            int[] pair = [vocabulary.ClsId, .. a, vocabulary.SepId, .. b, vocabulary.SepId];
            var candidates = Enumerable.Range(0, pair.Length).Where(i => !specials.Contains(pair[i])).ToArray();
            rng.Shuffle(candidates);
            int predicted = Math.Min(candidates.Length, PredictionsFor(candidates.Length));
            var chosen = candidates[..predicted].Order().ToArray(); // slots in sentence order
            for (int j = 0; j < chosen.Length; j++)
            {
                int at = chosen[j], s = k * slots + j;
                (positions[s], labels[s], weights[s]) = (at, pair[at], 1);
                double u = rng.NextDouble();
                if (u < MaskShare) pair[at] = vocabulary.MaskId;
                else if (u >= MaskShare + KeepShare) pair[at] = ordinary[rng.NextInt(ordinary.Length)];
            }
            pair.Select(t => (long)t).ToArray().CopyTo(tokens, k * maxLength);
            for (int i = a.Length + 2; i < pair.Length; i++) segments[k * maxLength + i] = 1;
            (validLengths[k], isNext[k]) = (pair.Length, next ? 1 : 0);
        }
        return new PretrainingPairs(count, maxLength, slots, tokens, segments, validLengths, positions, labels, weights, isNext);
    }
}
