using System.Globalization;

namespace Esp;

/// <summary>Thrown before any compute when a description is invalid; lists every problem found.</summary>
public sealed class InvalidExperimentException(IReadOnlyList<string> errors)
    : Exception("Invalid experiment description:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Small helpers that phrase validation errors the same way everywhere:
/// "Adam.Beta2 must be in [0, 1), got 1.2: ...".</summary>
public static class Require
{
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A setting's value as results and messages show it (doubles round-trip, invariant culture).</summary>
    public static string Show(object value) => value is double d ? Show(d) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    public static IEnumerable<string> InRange(string field, double value, double lo, double hi,
        bool hiInclusive, string fix)
    {
        bool ok = value >= lo && (hiInclusive ? value <= hi : value < hi);
        if (!ok)
            yield return $"{field} must be in [{Show(lo)}, {Show(hi)}{(hiInclusive ? "]" : ")")}, got {Show(value)}: {fix}";
    }

    public static IEnumerable<string> Positive(string field, double value, string fix)
    {
        if (!(value > 0) || double.IsInfinity(value))
            yield return $"{field} must be a positive finite number, got {Show(value)}: {fix}";
    }

    public static IEnumerable<string> NonNegative(string field, double value, string fix)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            yield return $"{field} must be >= 0 and finite, got {Show(value)}: {fix}";
    }

    public static IEnumerable<string> When(bool bad, string message)
    {
        if (bad) yield return message;
    }
}
