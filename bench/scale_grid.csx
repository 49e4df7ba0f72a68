// The scale benchmark's grid (bench/shards-scale.sh): Adam on the quadratic problem over beta2 x eps x lr x seeds,
// --side k values of each (k^4 runs: 4 -> 256, 16 -> 65 536), 1 000 steps a run (10 epochs of 100 batches).
// --d 10000 is the paper's size; a smaller --d keeps each run's records (and so the merge) the same size.
// No figure: the benchmark times the runs, the shards and the merge's files.
int side = Args.Get("side", 4), d = Args.Get("d", 10000);
double[] Spread(double from, double to, bool log) => Enumerable.Range(0, side)
    .Select(k => side == 1 ? from : log ? from * Math.Pow(to / from, k / (side - 1.0)) : from + (to - from) * k / (side - 1.0)).ToArray();
var problem = new QuadraticProblem(N: d, D: d);
Run(from beta2 in Spread(0.8, 0.999, log: false)
    from eps in Spread(1e-8, 1e-2, log: true)
    from lr in Spread(0.01, 0.06, log: true)
    from seed in Enumerable.Range(0, side)
    select new Experiment(problem, new Adam(Lr: lr, Beta2: beta2, Eps: eps), Sampler.Shuffle, Epochs: 10, BatchSize: d / 100, Seed: seed));
