namespace Esp;

/// <summary>One choice a case was drawn with: what it chose (<see cref="Label"/>), its index among <see cref="Size"/>
/// options (0 the simplest) and the value it gave, as shown.</summary>
public readonly record struct Choice(string Label, ulong Index, ulong Size, string Shown)
{
    public override string ToString() => $"{Label}={Shown}";
}

/// <summary>
/// The choices of one case as a generator draws them: fresh ones from a random stream (case k of a claim with seed s
/// always draws the same), or replayed from a case's recorded choices (a shrink candidate). A replayed draw takes the
/// value its label had at the same occurrence (the second "width" the second "width" had), so that a choice that
/// changes the case's shape (fewer layers) leaves every other choice in place; a draw with nothing recorded takes 0,
/// the simplest, and an index beyond a draw's options its last. <see cref="Made"/> records what each draw chose.
/// </summary>
sealed class Choices
{
    readonly Rng? random;
    readonly Dictionary<string, List<ulong>> replayed = [];
    readonly List<Choice> made = [];

    Choices(Rng? random) => this.random = random;

    public static Choices Fresh(int seed, int caseIndex) => new(Rng.For(seed, $"claim case {caseIndex}"));

    public static Choices Replay(IEnumerable<Choice> recorded)
    {
        var choices = new Choices(null);
        foreach (var c in recorded)
        {
            if (!choices.replayed.TryGetValue(c.Label, out var values)) choices.replayed[c.Label] = values = [];
            values.Add(c.Index);
        }
        return choices;
    }

    public IReadOnlyList<Choice> Made => made;

    /// <summary>The value of one of <paramref name="size"/> options, <paramref name="value"/> of its index (0: the simplest).</summary>
    public T Draw<T>(string label, ulong size, Func<ulong, T> value)
    {
        if (size == 1) return value(0); // no choice to record or shrink
        int occurrence = made.Count(c => c.Label == label);
        ulong index = random is not null ? random.NextUInt64() % size
            : replayed.TryGetValue(label, out var values) && occurrence < values.Count ? Math.Min(values[occurrence], size - 1) : 0;
        var result = value(index);
        made.Add(new Choice(label, index, size, Require.Show(result!)));
        return result;
    }
}
