// Paper figure 19: the effect of data order on the Epochal Sawtooth Phenomenon.
// Adam (lr 0.06, beta1 0.9) on the incremental quadratic problem, 4 samplers x beta2 in {0.999, 0.8}.
// Run: dotnet esp-script experiments/fig19.csx        (--quick: a 1 000-function version for smoke tests)
var problem = Args.Quick ? new QuadraticProblem(N: 1000, D: 1000) : new QuadraticProblem(); // paper: N = D = 10 000
var samplers = new[] { Sampler.Shuffle, Sampler.Sequential, Sampler.Reverse, Sampler.WithReplacement };

var grid = from sampler in samplers
           from beta2 in new[] { 0.999, 0.8 }
           select new Experiment(problem, new Adam(Lr: 0.06, Beta2: beta2), sampler,
                                 Epochs: 10, BatchSize: Args.Quick ? 10 : 100, Seed: Args.Seed);

var runs = Run(grid);
Plot.Loss(runs, plotEvery: 10, panels: "sampler", series: "beta2", title: "Figure 19: data order and ESP").Save("fig19");
Report.Summary(runs);
