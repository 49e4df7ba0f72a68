// Why does Adam's training loss spike on a small MLP when SGD's does not? (the Q&A in the seeds)
// MLP 14 -> 100 -> 40 -> 4 (ReLU), batch 32, on a synthetic 4-class task with 1 000 training rows, so every epoch
// ends with a batch of 8. Adam (lr 1e-3, 0.9 / 0.999 / 1e-8) against plain SGD (lr 0.01), each with and
// without DropLast, 3 seeds, 200 epochs (32 or 31 steps each). A spike: a batch loss at least 2x the mean of the
// 32 batch losses before it (RelativeRule). --quick: 60 epochs, 2 seeds.
#load "spikes.csx"
int epochs = Args.Quick ? 60 : 200, seeds = Args.Quick ? 2 : 3;
var problem = new Network(new Mlp(14, [100, 40], 4), new SyntheticTabular(Separation: Args.Get("separation", 0.5)));
var optimizers = new Optimizer[] { new Adam(Lr: 1e-3), new Sgd(Lr: 0.01) };

var runs = Run(from optimizer in optimizers
               from dropLast in new[] { false, true }
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, optimizer, Sampler.Shuffle with { DropLast = dropLast }, Epochs: epochs,
                                     BatchSize: 32, Seed: seed));

Plot.Loss(runs, plotEvery: 1, panels: "optimizer", series: "drop_last", title: "batch loss per step (no smoothing)").Save("adam_spikes");

PrintSpikes(runs.RunRecords.GroupBy(r => $"{r.Experiment.Optimizer.Name}, drop_last {r.Experiment.Sampler.DropLast}"),
            new RelativeRule(Window: 32, Factor: 2));
