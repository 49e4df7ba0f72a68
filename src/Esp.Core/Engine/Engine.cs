namespace Esp;

/// <summary>Runs experiments: validates the whole grid first, then runs each and collects the results.</summary>
public static class Engine
{
    /// <summary>
    /// Runs every experiment in order. Invalid descriptions throw <see cref="InvalidExperimentException"/>
    /// before any compute. A run whose loss becomes NaN or Inf stops there, is marked "diverged" and its
    /// message is written to <paramref name="log"/> (stderr by default); the other runs go on.
    /// <paramref name="onRunDone"/> is called after each run (for progress displays). Runs are numbered from
    /// <paramref name="firstRun"/> (a script that calls Run several times keeps one numbering).
    /// </summary>
    public static Results Run(IEnumerable<Experiment> experiments, TextWriter? log = null,
        Action<RunRecord>? onRunDone = null, int firstRun = 0)
    {
        var grid = experiments.ToList();
        Experiment.ValidateAll(grid);
        var records = new List<RunRecord>(grid.Count);
        for (int i = 0; i < grid.Count; i++)
        {
            var record = QuadraticRun.Execute(firstRun + i, grid[i], log ?? Console.Error);
            records.Add(record);
            onRunDone?.Invoke(record);
        }
        return new Results(records);
    }

    public static Results Run(params Experiment[] experiments) => Run((IEnumerable<Experiment>)experiments);
}
