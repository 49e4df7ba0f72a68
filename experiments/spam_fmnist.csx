// SPAM against Adam and AdamW on the Fashion-MNIST MLP (784-256-128-10, batch 128) at a learning rate high enough
// for Adam to spike (1e-2, ten times the usual), 3 seeds, 10 epochs; SPAM with the authors' defaults (theta 5000,
// reset every 500 steps, 150-step warm-up), AdamW with weight decay 0.01. Spikes: a batch loss more than 4 sd above
// the mean of the 100 before it. --quick: 6 000 images, 4 epochs, 2 seeds.
#load "spikes.csx"
var data = Args.Quick ? new FashionMnist(TrainExamples: 6000, ValidationExamples: 2000) : new FashionMnist();
var problem = new Network(new Mlp(784, [256, 128], 10), data);
int epochs = Args.Quick ? 4 : 10, seeds = Args.Quick ? 2 : 3;
double lr = Args.Get("lr", 1e-2);
Spikes = new ZScoreRule(Window: 100, K: 4);

var runs = Run(from optimizer in new Optimizer[] { new Adam(Lr: lr), new AdamW(Lr: lr, WeightDecay: 0.01), new Spam(Lr: lr) }
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, optimizer, Sampler.Shuffle, Epochs: epochs, BatchSize: 128, Seed: seed));
Plot.Loss(runs, plotEvery: 10, series: "optimizer", title: $"Fashion-MNIST MLP at lr {lr}: batch loss, plot_every = 10")
    .And(Plot.Epochs(runs, "val_accuracy", series: "optimizer", title: "validation accuracy")).Save("spam_fmnist");

PrintSpikes(runs.RunRecords.GroupBy(r => r.Experiment.Optimizer.Name), new ZScoreRule(Window: 100, K: 4));
foreach (var g in runs.RunRecords.GroupBy(r => r.Experiment.Optimizer.Name))
    Console.WriteLine($"{g.Key,-8} validation accuracy after the last epoch {Spread(g.Select(r => r.EpochColumn("val_accuracy")[^1]))}");
