namespace Esp;

/// <summary>
/// A generator of values (experiments, optimizers, numbers) for claims, drawn from a sequence of choices as Hypothesis
/// and Hedgehog draw theirs: every primitive draw (<see cref="Gens.Int"/>, <see cref="Gens.Element{T}"/>, a range of
/// numbers) reads one choice, an index into what it can give with 0 the simplest. A failing case is shrunk by shrinking
/// its choices and drawing again, so whatever the generator builds from its draws (a pair's second member from the
/// first, N = 100 x batch, the stated ranges) holds in every shrunk candidate. Compose with LINQ:
/// <c>from batch in Gens.Int(10, 20) from seed in Gens.Int(0, 99) select ...</c>.
/// </summary>
public sealed class Generator<T>
{
    readonly Func<Choices, T> draw;

    internal Generator(Func<Choices, T> draw) => this.draw = draw;

    internal T Draw(Choices choices) => draw(choices);

    public Generator<TResult> Select<TResult>(Func<T, TResult> map) => new(c => map(draw(c)));

    public Generator<TResult> SelectMany<TResult>(Func<T, Generator<TResult>> bind) => new(c => bind(draw(c)).Draw(c));

    public Generator<TResult> SelectMany<TNext, TResult>(Func<T, Generator<TNext>> bind, Func<T, TNext, TResult> project) =>
        new(c =>
        {
            var first = draw(c);
            return project(first, bind(first).Draw(c));
        });

    /// <summary><paramref name="count"/> values drawn from <paramref name="seed"/>: the same seed gives the same values
    /// (the cases a claim with that seed checks).</summary>
    public IReadOnlyList<T> Sample(int count, int seed) =>
        Enumerable.Range(0, count).Select(k => Draw(Choices.Fresh(seed, k))).ToList();
}
