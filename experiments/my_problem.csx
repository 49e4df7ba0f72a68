// Your own problem in a script: a loss in TorchSharp ops, differentiated by autograd, run like any of Esp's problems.
// Rosenbrock's valley with a noisy target per example, (a_i - x)^2 + 100 (y - x^2)^2 with a_i ~ N(1, 0.3^2): does Adam's
// loss saw-tooth across epochs when the examples are reshuffled, against a fixed order? 3 seeds each (--quick: 1).
using static TorchSharp.torch;

int n = 512;
var rosenbrock = new CustomProblem<Tensor>("noisy rosenbrock", n,
    ParamLayout.Of([("x", [1], ParamInit.Zeros, 1, true), ("y", [1], ParamInit.Zeros, 1, true)]),
    Data: seed =>
    {
        var rng = Rng.For(seed, "targets");
        return tensor(Enumerable.Range(0, n).Select(_ => 1 + 0.3 * rng.Normal()).ToArray());
    },
    Loss: (a, theta, batch) => a.index_select(0, batch).sub(theta("x")).square().add(theta("y").sub(theta("x").square()).square().mul(100)).mean(),
    Start: _ => [-1.5, 2.0]);

var grid = from sampler in new[] { Sampler.Shuffle, Sampler.Sequential }
           from seed in Enumerable.Range(0, Args.Quick ? 1 : 3)
           select new Experiment(rosenbrock, new Adam(Lr: 0.01, Beta2: 0.9), sampler, Epochs: Args.Quick ? 10 : 40, BatchSize: 32, Seed: seed);
var runs = Run(grid);
Plot.Loss(runs, plotEvery: 4, series: "sampler").Save("my_problem");
Report.Summary(runs);
