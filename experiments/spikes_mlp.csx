// The seeds' question with the remedies: why does a small MLP's loss spike with Adam and not with SGD, and what
// removes the spikes? MLP 14 -> 100 -> 40 -> 4 (ReLU), batch 32, a synthetic 4-class task of 1 000 rows (an epoch
// ends with a batch of 8), separation 0.5. Adam (1e-3, 0.9 / 0.999 / 1e-8), plain SGD (0.01) and SPAM (1e-3,
// the authors' defaults), each with and without DropLast, 3 seeds, 200 epochs. Spikes by two rules: a batch loss
// >= 2x the mean of the 32 before it, and more than 4 sd above the mean of the 100 before it.
// --quick: 60 epochs, 2 seeds.
#load "spikes.csx"
int epochs = Args.Quick ? 60 : 200, seeds = Args.Quick ? 2 : 3;
var problem = new Network(new Mlp(14, [100, 40], 4), new SyntheticTabular(Separation: 0.5));
var optimizers = new Optimizer[] { new Adam(Lr: 1e-3), new Sgd(Lr: 0.01), new Spam(Lr: 1e-3) };
Spikes = new ZScoreRule(Window: 100, K: 4);

var runs = Run(from optimizer in optimizers
               from dropLast in new[] { false, true }
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, optimizer, Sampler.Shuffle with { DropLast = dropLast }, Epochs: epochs,
                                     BatchSize: 32, Seed: seed));
Plot.Loss(runs, plotEvery: 1, panels: "optimizer", series: "drop_last", title: "batch loss per step").Save("spikes_mlp");

var groups = runs.RunRecords.GroupBy(r => $"{r.Experiment.Optimizer.Name}, drop_last {r.Experiment.Sampler.DropLast}");
PrintSpikes(groups, new RelativeRule(Window: 32, Factor: 2));
PrintSpikes(groups, new ZScoreRule(Window: 100, K: 4));
