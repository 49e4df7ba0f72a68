namespace Esp;

/// <summary>
/// The single-step simplifications of a case's choices (integrated shrinking: the case is drawn again from them, so
/// it stays within its generator), most simplifying first: each choice set to 0 (its simplest), then each moved half
/// of the way to 0, then a quarter, an eighth, ... and one. Taking the first that still fails each round bisects every
/// choice towards where the claim starts to hold. A case none of whose simplifications still fails is locally minimal.
/// </summary>
static class Shrink
{
    public static IEnumerable<Choice[]> Steps(IReadOnlyList<Choice> choices)
    {
        IEnumerable<(int Rank, int Index, ulong Value)> Moves(int i)
        {
            ulong c = choices[i].Index;
            if (c == 0) yield break;
            yield return (0, i, 0);
            int rank = 1;
            for (ulong move = c / 2; move > 1; move /= 2) yield return (rank++, i, c - move);
            if (c > 1) yield return (rank, i, c - 1);
        }
        return Enumerable.Range(0, choices.Count).SelectMany(Moves).OrderBy(m => m.Rank).ThenBy(m => m.Index)
            .Select(m => choices.Select((c, j) => j == m.Index ? c with { Index = m.Value } : c).ToArray());
    }
}
