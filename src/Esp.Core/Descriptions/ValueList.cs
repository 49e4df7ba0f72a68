using System.Collections;
using System.Runtime.CompilerServices;

namespace Esp;

/// <summary>
/// An immutable list that compares and prints by value, so that records holding lists
/// (probe coordinates, epochs) keep value equality and a readable ToString.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    readonly T[]? items;

    public ValueList(IEnumerable<T> items) => this.items = items.ToArray();

    public static implicit operator ValueList<T>(T[] items) => new(items);

    public int Count => items?.Length ?? 0;
    public T this[int index] => (items ?? [])[index];
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(items ?? [])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueList<T> other) => this.SequenceEqual(other);
    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);
    public override int GetHashCode() => this.Aggregate(17, (h, x) => h * 31 + (x?.GetHashCode() ?? 0));
    public static bool operator ==(ValueList<T> a, ValueList<T> b) => a.Equals(b);
    public static bool operator !=(ValueList<T> a, ValueList<T> b) => !a.Equals(b);
    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

/// <summary>Lets a collection expression build a <see cref="ValueList{T}"/>: <c>new Mlp(784, [256, 128], 10)</c>.</summary>
public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
}
