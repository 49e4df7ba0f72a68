// Why does Adam's training loss spike on a small MLP when SGD's does not? (the Q&A in the seeds)
// MLP 14 -> 100 -> 40 -> 4 (ReLU), batch 32, on a synthetic 4-class task with 1 000 training rows, so every epoch
// ends with a batch of 8. Adam (lr 1e-3, 0.9 / 0.999 / 1e-8) against plain SGD (lr 0.01), each with and
// without DropLast, 3 seeds, 200 epochs (32 or 31 steps each). A spike: a batch loss at least 2x the mean of the
// 32 batch losses before it (RelativeRule). --quick: 60 epochs, 2 seeds.
int epochs = Args.Quick ? 60 : 200, seeds = Args.Quick ? 2 : 3;
var problem = new Network(new Mlp(14, [100, 40], 4), new SyntheticTabular(Separation: Args.Get("separation", 0.5)));
var optimizers = new Optimizer[] { new Adam(Lr: 1e-3), new Sgd(Lr: 0.01) };

var runs = Run(from optimizer in optimizers
               from dropLast in new[] { false, true }
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, optimizer, Sampler.Shuffle with { DropLast = dropLast }, Epochs: epochs,
                                     BatchSize: 32, Seed: seed));

Plot.Loss(runs, plotEvery: 1, panels: "optimizer", series: "drop_last", title: "batch loss per step (no smoothing)").Save("adam_spikes");

Console.WriteLine($"optimizer drop_last  spikes/run  at the partial batch  median height  max height  final loss (last epoch mean)  ({seeds} seeds, {epochs} epochs)");
foreach (var cell in runs.RunRecords.GroupBy(r => (r.Experiment.Optimizer.Name, r.Experiment.Sampler.DropLast)))
{
    var spikes = cell.Select(r => (Run: r, Spikes: new RelativeRule(Window: 32, Factor: 2).Detect(r.Losses))).ToList();
    var all = spikes.SelectMany(s => s.Spikes.Select(p => (Spike: p, s.Run.Experiment.StepsPerEpoch))).ToList();
    int atPartial = cell.Key.DropLast ? 0 : all.Count(p => p.Spike.Step % p.StepsPerEpoch == p.StepsPerEpoch - 1);
    var heights = all.Select(p => p.Spike.Height).Order().ToList();
    double finalLoss = cell.Average(r => r.Losses.TakeLast(r.Experiment.StepsPerEpoch).Average());
    Console.WriteLine($"{cell.Key.Name,-9} {cell.Key.DropLast,-10} {all.Count / (double)cell.Count(),10:F1}  " +
                      $"{(cell.Key.DropLast ? "-" : $"{atPartial} of {all.Count}"),20}  {(heights.Count > 0 ? heights[heights.Count / 2] : double.NaN),13:F2}  " +
                      $"{(heights.Count > 0 ? heights[^1] : double.NaN),10:F1}  {finalLoss,12:E2}");
}
