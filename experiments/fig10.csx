// Paper figure 10: (a) the batch loss at every step (plot_every = 1) for beta2 0.999 and 0.8;
// (b) the loss of every batch of epoch 4, evaluated at the start of epoch 4 (before any of its steps).
#load "paper.csx"
var runs = Run(new[] { 0.999, 0.8 }.Select(b2 =>
    Paper(new Adam(Beta2: b2), probes: new Probes(BatchLossesAtEpochStart: new[] { 4 }))));

var atStart = runs.RunRecords.Select(r => ($"beta2 = {Beta2Of(r)}", (IReadOnlyList<double>)r.BatchLosses.Select(b => b.Loss).ToArray())).ToList();
Plot.Loss(runs, plotEvery: 1, series: "beta2", title: "Figure 10 (a): batch loss, plot_every = 1")
    .And(Charts.Histogram("(b) loss of every batch at the start of epoch 4", "batch loss", atStart))
    .Save("fig10");

// The claim behind (b): at an epoch's start the loss is low for every batch, not for a lucky one, so the
// whole histogram sits below the losses the steps of epoch 3 saw.
foreach (var r in runs.RunRecords)
{
    var start = r.BatchLosses.Select(b => b.Loss).ToArray();
    double epoch3 = InEpoch(r, "loss", 3).Average();
    double below = start.Count(l => l < epoch3) / (double)start.Length;
    Console.WriteLine($"beta2 {Beta2Of(r)}: batch losses at the start of epoch 4: mean {start.Average():F4}, " +
                      $"sd {Math.Sqrt(start.Select(l => (l - start.Average()) * (l - start.Average())).Average()):F4}; " +
                      $"mean step loss over epoch 3 {epoch3:F4}; {below:P0} of the batches below it");
}
Report.Summary(runs);
