// The surge: how the best learning rate moves with batch size B. SGD's rises and saturates,
// eps_opt(B) = eps_max / (1 + B_noise / B) (McCandlish et al. 2018); Adam's rises, peaks at B = B_noise and falls,
// eps_opt(B) = eps_max / (0.5 (sqrt(B_noise / B) + sqrt(B / B_noise))) (Li et al. 2024), who count Lion (Chen et al.
// 2023) among the Adam-style optimizers whose best lr surges: Lion is fitted with Adam's law. Its first step is the
// sign of the gradient, as Adam's is, so on the one-step quadratic the two coincide. Measured as a grid of
// learning rates x batch sizes per optimizer; the best lr of each batch size is the grid's lowest loss refined by a
// parabola in log lr (BestLr), and both laws are fitted to those points (SurgeFit: least squares in log lr).
// (a) NoisyQuadratic (D = 50, H = diag(0.5..1.5) + 0.2 1 1^T, per-example gradient noise sd 200): the population
//     loss after ONE step from x0 with a batch of B fresh examples, averaged over seeds (the same seeds at every lr;
//     512 seeds up to B = 16, then 512 x 16 / B, at least 32).
//     That is the quantity the laws are derived for, so the fitted B_noise is set against the analytic one; Adam's
//     first step is sign descent, whose exact best lr (erf, no small-signal approximation) is printed too.
// (b) Fashion-MNIST MLP 784-256-128-10: the training loss over all images after one epoch of 12 000 images (a fixed
//     number of examples per batch size), one seed.
// Writes optimal_lr.csv (problem, optimizer, batch_size, optimal_lr), surge_fits.csv and surge.html.
// --quick: 32 seeds and 3 batch sizes on the quadratic; 2 000 images and 2 batch sizes on the network.
double[] Grid(double from, double to, double ratio) =>
    Enumerable.Range(0, (int)Math.Round(Math.Log(to / from) / Math.Log(ratio)) + 1).Select(k => from * Math.Pow(ratio, k)).ToArray();
Optimizer Make(string name, double lr) => name switch { "sgd" => new Sgd(Lr: lr), "lion" => new Lion(Lr: lr), _ => new Adam(Lr: lr) };
var laws = new Dictionary<string, SurgeLaw> { ["sgd"] = SurgeLaw.Sgd, ["adam"] = SurgeLaw.Adam, ["lion"] = SurgeLaw.Adam };

// One row per problem, optimizer and batch size: the best lr of the seed-averaged final loss over the lr grid.
var optima = new List<(string Problem, string Optimizer, int BatchSize, BestLr Best)>();
void Optimal(string problem, Results results, Func<RunRecord, double> loss)
{
    foreach (var cell in results.RunRecords.GroupBy(r => (r.Experiment.Optimizer.Name, r.Experiment.BatchSize)))
    {
        var grid = cell.GroupBy(r => r.Experiment.Optimizer.Lr).Select(g => (Lr: g.Key, Loss: g.Average(loss)));
        optima.Add((problem, cell.Key.Name, cell.Key.BatchSize, BestLr.Of(grid)));
    }
}

// (a) the noisy quadratic, one step per run: N = B examples drawn from the run's seed, one epoch of one batch.
var quadratic = new NoisyQuadratic();
// The spread of one step's loss shrinks as 1 / sqrt(B): large batches need fewer seeds for the same precision.
int Seeds(int b) => Args.Quick ? 32 : Math.Clamp(512 * 16 / b, 32, 512);
int[] quadraticBatches = Args.Quick ? [1, 16, 256] : [1, 4, 16, 64, 256, 1024, 4096];
var quadraticLrs = new Dictionary<string, double[]> { ["sgd"] = Grid(1e-3, 0.256, Math.Sqrt(2)), ["adam"] = Grid(0.1, 6.4, Math.Sqrt(2)),
                                                      ["lion"] = Grid(0.1, 6.4, Math.Sqrt(2)) };
var oneStep = Run(from b in quadraticBatches
                  from name in laws.Keys
                  from lr in quadraticLrs[name]
                  from seed in Enumerable.Range(Args.Seed, Seeds(b))
                  select new Experiment(quadratic with { N = b }, Make(name, lr), Sampler.Shuffle, Epochs: 1, BatchSize: b, Seed: seed,
                                        Probes: new Probes(EpochEndFullLoss: true)));
Optimal("noisy_quadratic", oneStep, r => r.EpochEndFullLoss.Length > 0 ? r.EpochEndFullLoss[0] : double.NaN);

// (b) Fashion-MNIST, a fixed number of examples: one epoch of the training images.
var network = new Network(new Mlp(784, [256, 128], 10), new FashionMnist(TrainExamples: Args.Quick ? 2000 : 12_000, ValidationExamples: 0));
int[] networkBatches = Args.Quick ? [16, 64] : [4, 8, 16, 32, 64, 128, 256, 512];
var networkLrs = new Dictionary<string, double[]> { ["sgd"] = Grid(1e-3, 1.024, 2), ["adam"] = Grid(1e-4, 0.0256, 2), ["lion"] = Grid(1e-5, 0.01024, 2) };
var epoch = Run(from b in networkBatches
                from name in laws.Keys
                from lr in networkLrs[name]
                select new Experiment(network, Make(name, lr), Sampler.Shuffle, Epochs: 1, BatchSize: b, Seed: Args.Seed,
                                      Probes: new Probes(EpochEndFullLoss: true)));
Optimal("fashion_mnist_mlp", epoch, r => r.EpochEndFullLoss.Length > 0 ? r.EpochEndFullLoss[0] : double.NaN);

Csv.Save(Frame.FromRecords(optima.Select(o => new { problem = o.Problem, optimizer = o.Optimizer, batch_size = o.BatchSize, optimal_lr = o.Best.Lr })),
         "optimal_lr.csv");

// The fits, and on the quadratic the analytic law beside them.
var fits = optima.GroupBy(o => (o.Problem, o.Optimizer)).Select(g =>
{
    var law = laws[g.Key.Optimizer];
    return (g.Key.Problem, g.Key.Optimizer, Points: g.OrderBy(o => o.BatchSize).ToList(),
            Fit: SurgeFit.Of(law, g.Select(o => ((double)o.BatchSize, o.Best.Lr)).ToList()),
            Analytic: g.Key.Problem == "noisy_quadratic" ? quadratic.Predicted(law) : null);
}).ToList();
Csv.Save(Frame.FromRecords(fits.Select(f => new
{
    problem = f.Problem, optimizer = f.Optimizer, eps_max = f.Fit.EpsMax, b_noise = f.Fit.BNoise, rms_log_error = f.Fit.RmsLogError,
    analytic_eps_max = f.Analytic?.EpsMax ?? double.NaN, analytic_b_noise = f.Analytic?.BNoise ?? double.NaN,
})), "surge_fits.csv");

Console.WriteLine("problem            optimizer  batch sizes  eps_max (fit)  B_noise (fit)  rms log error  eps_max (analytic)  B_noise (analytic)  best lr at a grid edge");
foreach (var f in fits)
{
    var edges = f.Points.Where(o => o.Best.AtGridEdge).Select(o => o.BatchSize).ToList();
    Console.WriteLine($"{f.Problem,-18} {f.Optimizer,-10} {f.Points.Count,11}  {f.Fit.EpsMax,13:G4}  {f.Fit.BNoise,13:G4}  {f.Fit.RmsLogError,13:F3}  " +
                      $"{f.Analytic?.EpsMax.ToString("G4") ?? "-",18}  {f.Analytic?.BNoise.ToString("G4") ?? "-",18}  {(edges.Count == 0 ? "none" : string.Join(" ", edges))}");
}

Figure Chart(string problem, string optimizer, List<(string Problem, string Optimizer, int BatchSize, BestLr Best)> points, SurgeFit fit, SurgeFit? analytic)
{
    var batches = points.Select(o => (double)o.BatchSize).ToArray();
    var dense = Grid(batches.Min(), batches.Max(), Math.Pow(2, 0.25));
    var curves = new List<Curve>
    {
        new("best lr of the grid", batches, points.Select(o => o.Best.Lr).ToArray(), Markers: true),
        new($"fit: eps_max {fit.EpsMax:G3}, B_noise {fit.BNoise:G3}", dense, dense.Select(fit.OptimalLr).ToArray()),
    };
    if (analytic is not null)
    {
        curves.Add(new($"law, analytic: B_noise {analytic.BNoise:G3}", dense, dense.Select(analytic.OptimalLr).ToArray()));
        if (analytic.Law == SurgeLaw.Adam) curves.Add(new("exact one-step best lr (erf)", dense, dense.Select(b => quadratic.OneStepOptimalLr(SurgeLaw.Adam, b)).ToArray()));
    }
    return Charts.Lines($"{problem}, {optimizer}: best learning rate against batch size", "batch size", "best lr", curves, logAxes: true);
}
fits.Select(f => Chart(f.Problem, f.Optimizer, f.Points, f.Fit, f.Analytic)).Aggregate((a, b) => a.And(b)).Save("surge");

// The claims, as numbers: where does each measured curve peak, and how far does it fall after the peak?
foreach (var (problem, optimizer, points, _, _) in fits)
{
    var peak = points.MaxBy(o => o.Best.Lr);
    Console.WriteLine($"{problem}, {optimizer}: best lr {points[0].Best.Lr:G3} at B = {points[0].BatchSize}, peak {peak.Best.Lr:G3} at B = {peak.BatchSize}, " +
                      $"{points[^1].Best.Lr:G3} at B = {points[^1].BatchSize} ({points[^1].Best.Lr / peak.Best.Lr:P0} of the peak)");
}
if (!Args.Quick)
    foreach (var b in quadraticBatches)
        Console.WriteLine($"noisy_quadratic, B = {b,4}: exact one-step best lr, sgd {quadratic.OneStepOptimalLr(SurgeLaw.Sgd, b):G4}, adam {quadratic.OneStepOptimalLr(SurgeLaw.Adam, b):G4}; " +
                          $"measured sgd {optima.Single(o => o.Problem == "noisy_quadratic" && o.Optimizer == "sgd" && o.BatchSize == b).Best.Lr:G4}, " +
                          $"adam {optima.Single(o => o.Problem == "noisy_quadratic" && o.Optimizer == "adam" && o.BatchSize == b).Best.Lr:G4}");
