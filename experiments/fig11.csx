// Paper figure 11: ||m|| and ||v|| over epochs 4-6 (Adam, shuffle), epoch boundaries dotted.
// ||m|| is large at each epoch start, decays, then grows slowly; ||v|| rises steadily within the epoch.
#load "paper.csx"
var runs = Run(new[] { 0.999, 0.8 }.Select(b2 => Paper(new Adam(Beta2: b2), probes: new Probes(MomentNorms: true))));

int s = runs.RunRecords[0].Experiment.StepsPerEpoch;
Figure NormFigure(string column) => Charts.Lines($"{column} over epochs 4-6", "epoch", column,
    runs.RunRecords.Select(r => new Curve($"beta2 = {Beta2Of(r)}",
        Enumerable.Range(4 * s, 3 * s).Select(t => t / (double)s).ToArray(), r.Column(column)[(4 * s)..(7 * s)])),
    verticalLines: new double[] { 4, 5, 6, 7 });
NormFigure("m_norm").And(NormFigure("v_norm")).Save("fig11");

int w = EspMetrics.Window(s);
foreach (var r in runs.RunRecords)
    foreach (int e in new[] { 4, 5, 6 })
    {
        var m = InEpoch(r, "m_norm", e);
        var v = InEpoch(r, "v_norm", e);
        int low = Array.IndexOf(m, m.Min());
        Console.WriteLine($"beta2 {Beta2Of(r)}, epoch {e}: ||m|| {m[0]:F4} at the start, down to {m[low]:F4} at step {low}, {m[^1]:F4} at the end; " +
                          $"||v|| mean of the first {w} steps {v.Take(w).Average():E3} -> last {w} {v.Skip(s - w).Average():E3}");
    }
