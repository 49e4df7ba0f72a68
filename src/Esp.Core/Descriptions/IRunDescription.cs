namespace Esp;

/// <summary>
/// What a run's results are filed and plotted under: its settings (the result columns), the length of its epochs, its
/// seed, and which settings follow from the others. An <see cref="Experiment"/> Esp ran is one; a run read from another
/// tool's log (<see cref="Logs.Results"/>) is another, so that frames, metrics and plots work on both.
/// </summary>
public interface IRunDescription
{
    IEnumerable<(string Column, object Value)> Settings();

    /// <summary>Steps (for a logged run: logged points) per epoch.</summary>
    int StepsPerEpoch { get; }

    int Seed { get; }

    /// <summary>Settings that follow from the others (a figure's legend never names them).</summary>
    IReadOnlyList<string> DerivedSettings { get; }
}
