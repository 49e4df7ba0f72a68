// A toy problem where Adam's loss spikes, with the mechanism in the probes. The paper's quadratic problem plus 10
// rare, steep functions (curvature 1000): each owns a coordinate no other function touches, so that coordinate sees
// a gradient once an epoch and nothing in between. Between visits Adam's v there decays by beta2^100 (0.9: 3e-5,
// 0.999: 0.9); at the next visit the step m / sqrt(v) is large, x overshoots, and the batch holding that function
// has a high loss the epoch after. Spikes: a batch loss more than 4 sd above the mean of the 100 batches before it.
// Adam beta2 0.999 / 0.95 / 0.9 x eps 1e-8 / 1e-6, SGD, and two remedies at beta2 0.9: SPAM, and clipping the
// gradient norm (at 1). 3 seeds. --quick: N = D = 1 000 with one rare function, batch 10.
#load "spikes.csx"
var problem = Args.Quick ? new QuadraticProblem(N: 1000, D: 1000, Rare: 1, RareA: 1000) : new QuadraticProblem(Rare: 10, RareA: 1000);
int batch = Args.Quick ? 10 : 100, seeds = 3;
var rule = new ZScoreRule(Window: 100, K: 4);
Spikes = rule;

var optimizers = new List<Optimizer>();
foreach (var beta2 in new[] { 0.999, 0.95, 0.9 })
    foreach (var eps in new[] { 1e-8, 1e-6 }) optimizers.Add(new Adam(Beta2: beta2, Eps: eps));
optimizers.AddRange([new Sgd(Lr: 0.06), new Spam(Lr: 0.06, Beta2: 0.9, Eps: 1e-8), new Adam(Beta2: 0.9, ClipGradNorm: 1)]);
var runs = Run(from optimizer in optimizers
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, optimizer, Sampler.Shuffle, Epochs: 20, BatchSize: batch, Seed: seed,
                                     Probes: new Probes(Coordinates: [0])));

Plot.Lines(runs, "loss", plotEvery: 1, panels: "optimizer", title: "batch loss per step")
    .And(Plot.Lines(runs, "v_0", plotEvery: 1, panels: "optimizer", title: "v of a rare coordinate (0)")).Save("spikes_toy");

Console.WriteLine($"optimizer                      spikes/run        max height        final loss        v_0 min (last 10 epochs)  ({seeds} seeds; {rule.Label})");
foreach (var cell in runs.RunRecords.GroupBy(r => r.Experiment.Optimizer))
{
    var o = cell.Key;
    string name = o switch { Adam { ClipGradNorm: double c } a => $"adam b2 {a.Beta2} clip {c}", Adam a => $"adam b2 {a.Beta2} eps {a.Eps:G2}", Spam s => $"spam b2 {s.Beta2}", _ => o.Name };
    var spikes = cell.Select(r => rule.Detect(r.Losses)).ToList();
    Console.WriteLine($"{name,-30} {Spread(spikes.Select(s => (double)s.Count))} {Spread(spikes.Select(s => s.Count > 0 ? s.Max(p => p.Height) : 1))} " +
                      $"{Spread(cell.Select(r => r.Losses.TakeLast(r.Experiment.StepsPerEpoch).Average()))} {cell.Min(r => r.Column("v_0").Skip(10 * r.Experiment.StepsPerEpoch).Min()),10:E1}");
}
