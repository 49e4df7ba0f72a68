// An ablation the paper did not run, and the model for new ones: the sawtooth index over a beta2 x eps grid,
// 5 seeds a cell (each seed draws its own problem and order), mean and spread, as a heat map.
// Scale it with --seeds N; --quick runs the small problem.
var seeds = Args.Get("seeds", 5);
var beta2s = new[] { 0.999, 0.99, 0.95, 0.9, 0.85, 0.8 };
var epss = new[] { 1e-8, 1e-6, 1e-4, 1e-2 };
var problem = Args.Quick ? new QuadraticProblem(N: 1000, D: 1000) : new QuadraticProblem();

var runs = Run(from beta2 in beta2s
               from eps in epss
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, new Adam(Beta2: beta2, Eps: eps), Sampler.Shuffle,
                                     Epochs: 10, BatchSize: Args.Quick ? 10 : 100, Seed: seed));

var cells = GroupStats.Of(runs, "sawtooth_index", "beta2", "eps");
double Mean(double b2, double eps) => cells.Single(c => c.Keys[0] == $"{b2}" && c.Keys[1] == Require.Show(eps)).Mean;
Charts.Heatmap($"mean sawtooth index over {seeds} seeds", "eps", epss.Select(Require.Show).ToArray(),
               "beta2", beta2s.Select(b => $"{b}").ToArray(),
               beta2s.Select(b2 => epss.Select(eps => Mean(b2, eps)).ToArray()).ToArray())
    .And(Plot.Metric(runs, x: "eps", series: "beta2", logX: true, title: "sawtooth index against eps (mean +- sd over seeds)"))
    .Save("sweep_beta2_eps");

Console.WriteLine("beta2   eps     sawtooth index (mean +- sd, n)");
foreach (var c in cells) Console.WriteLine($"{c.Keys[0],-7} {c.Keys[1],-7} {c.Mean:F4} +- {c.Std:F4} ({c.Count})");
