namespace Esp;

/// <summary>
/// How a figure names its series: by the settings that tell its runs apart, and only those. Left out are the facets'
/// settings (each panel says its own), seeds (drawn as a band), settings that follow from others (a model's label and
/// parameter count d: <see cref="Problem.DerivedSettings"/>), and a setting with one value among the runs that have it
/// whose presence the other named settings already tell (Adam's beta1 in a grid of Adam and SGD). A setting that is one
/// value in each panel (SGD's lr in the SGD panel) is named in the panel's title instead (<see cref="PerPanel"/>). A
/// hyperparameter that merely varies with another (each optimizer its own lr) stays: it is not derived from it. An
/// entry shows a run's values of these settings, leaving out those the run lacks (SGD has no beta1).
/// </summary>
sealed class Legend
{
    public IReadOnlyList<string> Settings { get; }

    /// <summary>Settings that vary between panels but not within one: each panel's title names its value.</summary>
    public IReadOnlyList<string> PerPanel { get; }

    /// <summary>The legend of <paramref name="runs"/>, leaving out the settings in <paramref name="except"/>; the
    /// <paramref name="series"/> setting, when given, is always named first.</summary>
    public Legend(IReadOnlyList<RunRecord> runs, IEnumerable<string?> except, string? series = null, IReadOnlyList<string>? facets = null)
    {
        var derived = runs.SelectMany(r => r.Description.DerivedSettings);
        var skip = except.OfType<string>().Append("seed").Append(series).Concat(derived).ToHashSet();
        var named = ColumnOrder.Settings(runs).Where(c => !skip.Contains(c) && runs.Select(r => r.Setting(c)).Distinct().Count() > 1).ToList();
        var given = facets ?? [];
        var kept = given.Concat(series is null ? [] : [series]).ToList(); // named whatever else is
        // a setting of one value whose presence the others tell (Adam's beta1 beside SGD) says nothing anywhere
        for (int k = named.Count - 1; k >= 0; k--)
        {
            var c = named[k];
            bool oneValue = runs.Select(r => r.Setting(c)).OfType<string>().Distinct().Count() == 1;
            if (oneValue && Follows(runs, c, named.Where(o => o != c).Concat(kept))) named.RemoveAt(k);
        }
        PerPanel = given.Count == 0 ? [] : named.Where(c => Follows(runs, c, given)).ToList();
        named.RemoveAll(PerPanel.Contains);
        if (series is not null) named.Insert(0, series);
        Settings = named;
    }

    /// <summary>Whether every run's value of <paramref name="setting"/> follows from its values of <paramref name="others"/>.</summary>
    static bool Follows(IReadOnlyList<RunRecord> runs, string setting, IEnumerable<string> others)
    {
        var by = others.ToList();
        return by.Count > 0 && runs.GroupBy(r => Entry(r, by)).All(g => g.Select(r => r.Setting(setting)).Distinct().Count() == 1);
    }

    /// <summary>"beta2 = 0.8, lr = 0.001": the run's values of the legend's settings it has.</summary>
    public string Entry(RunRecord r) => Entry(r, Settings);

    static string Entry(RunRecord r, IEnumerable<string> settings) =>
        string.Join(", ", settings.Select(c => (Name: c, Value: r.Setting(c))).Where(s => s.Value is not null).Select(s => $"{s.Name} = {s.Value}"));
}
