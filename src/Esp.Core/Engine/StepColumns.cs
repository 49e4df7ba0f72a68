namespace Esp;

/// <summary>The per-step columns a <see cref="Probes"/> description asks for, and where each one lives.</summary>
sealed class StepColumns
{
    readonly List<string> names = [];
    public IReadOnlyList<string> Names => names;

    public int Loss, Lr, GradNorm = -1, MNorm = -1, VNorm = -1, StepNorm = -1, GradSpikes = -1;
    public int TrackedBefore = -1, TrackedAfter = -1, GDotTracked = -1, MDotTracked = -1, StepDotTracked = -1;
    public int[] MCoordinate = [], VCoordinate = [], Reported = [], ProblemReported = [];
    public int[][] Extra = []; // each step probe's columns

    int Add(string name)
    {
        names.Add(name);
        return names.Count - 1;
    }

    public IEnumerable<T> Select<T>(Func<string, T> f) => names.Select(f);

    /// <summary>The columns of <paramref name="p"/>'s probes, then those <paramref name="optimizer"/> reports, then those
    /// <paramref name="problem"/> reports.</summary>
    public static StepColumns For(Probes p, Optimizer? optimizer = null, Problem? problem = null)
    {
        var c = new StepColumns();
        c.Loss = c.Add("loss");
        c.Lr = c.Add("lr_t"); // the scheduled learning rate at this step; "lr" is the base setting
        if (p.GradNorm) c.GradNorm = c.Add("grad_norm");
        if (p.MomentNorms) (c.MNorm, c.VNorm) = (c.Add("m_norm"), c.Add("v_norm"));
        if (p.StepNorm) c.StepNorm = c.Add("step_norm");
        if (p.GradientSpikeTheta is not null) c.GradSpikes = c.Add("grad_spikes");
        if (p.TrackedBatch is not null)
        {
            c.TrackedBefore = c.Add("tracked_loss_before");
            c.TrackedAfter = c.Add("tracked_loss_after");
            c.GDotTracked = c.Add("g_dot_tracked");
            c.MDotTracked = c.Add("m_dot_tracked");
            c.StepDotTracked = c.Add("step_dot_tracked");
        }
        c.MCoordinate = p.Coordinates.Select(i => c.Add($"m_{i}")).ToArray();
        c.VCoordinate = p.Coordinates.Select(i => c.Add($"v_{i}")).ToArray();
        c.Extra = p.Extra.Select(probe => probe.Columns.Select(c.Add).ToArray()).ToArray();
        c.Reported = (optimizer?.ReportedColumns ?? []).Select(c.Add).ToArray();
        c.ProblemReported = (problem?.ReportedColumns ?? []).Select(c.Add).ToArray();
        return c;
    }
}
