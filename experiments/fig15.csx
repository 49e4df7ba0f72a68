// Paper figure 15: ||g_t|| over epochs 4-5 and the least-squares line of ||g_t|| over epoch 4.
#load "paper.csx"
var runs = Run(new[] { 0.999, 0.8 }.Select(b2 => Paper(new Adam(Beta2: b2), probes: new Probes(GradNorm: true))));
int s = runs.RunRecords[0].Experiment.StepsPerEpoch;

var curves = new List<Curve>();
foreach (var r in runs.RunRecords)
{
    var x = Enumerable.Range(4 * s, 2 * s).Select(t => t / (double)s).ToArray();
    var norms = r.Column("grad_norm")[(4 * s)..(6 * s)];
    var fit = LinearFit.Of(x[..s], norms[..s]);
    curves.Add(new Curve($"||g_t||, beta2 = {Beta2Of(r)}", x, norms));
    curves.Add(new Curve($"fit over epoch 4, beta2 = {Beta2Of(r)}", x[..s], x[..s].Select(fit.At).ToArray()));
    Console.WriteLine($"beta2 {Beta2Of(r)}: ||g_t|| over epoch 4 fits slope {fit.Slope:F4} per epoch, R^2 {fit.RSquared:F3} " +
                      $"(from {fit.At(4):F4} to {fit.At(5):F4})");
}
Charts.Lines("Figure 15: ||g_t|| over epochs 4-5, with the regression line over epoch 4", "epoch", "||g_t||", curves,
             verticalLines: new double[] { 4, 5, 6 }).Save("fig15");
