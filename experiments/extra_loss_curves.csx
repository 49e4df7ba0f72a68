// Extra figure of the paper's repository: l^t_t (the loss of the batch each step trains on, before the step)
// against l^b_t (the loss of the fixed last batch b = 100 at the same point), over epochs 4-6. The batch being
// trained on is always at the low point of its own cycle when it is visited; l^b traces the whole cycle.
#load "paper.csx"
var runs = Run(new[] { 0.999, 0.8 }.Select(b2 => Paper(new Adam(Beta2: b2), probes: new Probes(TrackedBatch: 100))));
int s = runs.RunRecords[0].Experiment.StepsPerEpoch;
var x = Enumerable.Range(4 * s, 3 * s).Select(t => t / (double)s).ToArray();
var curves = runs.RunRecords.SelectMany(r => new[]
{
    new Curve($"l^t_t, beta2 = {Beta2Of(r)}", x, r.Column("loss")[(4 * s)..(7 * s)]),
    new Curve($"l^b_t (b = 100), beta2 = {Beta2Of(r)}", x, r.Column("tracked_loss_before")[(4 * s)..(7 * s)]),
});
Charts.Lines("l^t_t against l^b_t, epochs 4-6", "epoch", "loss", curves, verticalLines: new double[] { 4, 5, 6, 7 }).Save("extra_loss_curves");
foreach (var r in runs.RunRecords)
{
    var lb = InEpoch(r, "tracked_loss_before", 5);
    Console.WriteLine($"beta2 {Beta2Of(r)}, epoch 5: l^b from {lb[0]:F4} at the start to {lb[^1]:F4} just before b; " +
                      $"mean l^t_t {InEpoch(r, "loss", 5).Average():F4}");
}
