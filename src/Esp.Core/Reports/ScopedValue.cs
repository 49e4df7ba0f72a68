namespace Esp;

/// <summary>
/// A value for the code running now, set for a scope: it flows with async execution, so two scripts running at once
/// each see their own, and disposing the scope restores the value before it.
/// </summary>
public sealed class ScopedValue<T>
{
    readonly AsyncLocal<T?> current = new();

    /// <summary>The value set by the innermost scope around the running code, or default when none is.</summary>
    public T? Value => current.Value;

    /// <summary>Makes <paramref name="value"/> the value until the returned scope is disposed, then the one before.</summary>
    public IDisposable Use(T value)
    {
        var before = current.Value;
        current.Value = value;
        return new Restore(() => current.Value = before);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
