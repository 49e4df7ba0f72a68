namespace Esp;

/// <summary>
/// What a run read from another tool's log is filed under in <see cref="Results"/>: source and log (the run's name in
/// its log) and the settings the log recorded; its epochs are the diagnosed tag's logged points per epoch.
/// </summary>
public sealed record LoggedDescription(string Source, string Log, IReadOnlyList<(string Column, object Value)> Recorded, int StepsPerEpoch) : IRunDescription
{
    /// <summary>source and log, then each recorded setting once (the last value a log gave it; one named source or log is
    /// the log's own and left out).</summary>
    public IEnumerable<(string Column, object Value)> Settings() =>
        Recorded.Where(s => s.Column is not ("source" or "log")).GroupBy(s => s.Column).Select(g => g.Last()).Prepend(("log", Log)).Prepend(("source", Source));

    /// <summary>The log's "seed" setting when it is a whole number, or 0.</summary>
    public int Seed => Recorded.LastOrDefault(s => s.Column == "seed").Value is double seed && seed == Math.Floor(seed) && Math.Abs(seed) <= int.MaxValue ? (int)seed : 0;

    public IReadOnlyList<string> DerivedSettings => [];

    public override string ToString() => $"{Source} {Log}";
}
