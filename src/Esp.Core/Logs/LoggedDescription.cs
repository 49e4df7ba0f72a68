namespace Esp;

/// <summary>
/// What a run read from another tool's log is filed under in <see cref="Results"/>: source and log (the run's name in
/// its log) and the settings the log recorded; its epochs are the diagnosed tag's logged points per epoch.
/// </summary>
public sealed record LoggedDescription(string Source, string Log, IReadOnlyList<(string Column, object Value)> Recorded, int StepsPerEpoch) : IRunDescription
{
    public IEnumerable<(string Column, object Value)> Settings() => Recorded.Prepend(("log", Log)).Prepend(("source", Source));

    /// <summary>The log's "seed" setting, or 0.</summary>
    public int Seed => Recorded.Where(s => s.Column == "seed").Select(s => Convert.ToInt32(s.Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    public IReadOnlyList<string> DerivedSettings => [];

    public override string ToString() => $"{Source} {Log}";
}
