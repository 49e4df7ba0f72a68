// Does the Epochal Sawtooth show on a real network, and does it need reshuffling as on the quadratic problem?
// MLP 784-256-128-10 (ReLU) on the 60 000 Fashion-MNIST training images, Adam lr 1e-3 (beta1 0.9, eps 1e-8),
// batch 128, 20 epochs: Shuffle vs Sequential x beta2 0.999 vs 0.8, 3 seeds; validation on the 10 000 test images.
// Run: dotnet esp-script experiments/fmnist_esp.csx      (--quick: 6 000 images, 6 epochs, 2 seeds; --seeds N: N seeds)
var data = Args.Quick ? new FashionMnist(TrainExamples: 6000, ValidationExamples: 2000) : new FashionMnist();
var problem = new Network(new Mlp(784, [256, 128], 10), data);
int epochs = Args.Quick ? 6 : 20, seeds = Args.Get("seeds", Args.Quick ? 2 : 3);

var runs = Run(from sampler in new[] { Sampler.Shuffle, Sampler.Sequential }
               from beta2 in new[] { 0.999, 0.8 }
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, new Adam(Lr: 1e-3, Beta2: beta2), sampler, Epochs: epochs, BatchSize: 128,
                                     Seed: seed, Probes: new Probes(EpochEndFullLoss: true)));

Plot.Loss(runs, plotEvery: 10, panels: "sampler", series: "beta2", title: "Fashion-MNIST MLP: batch loss, plot_every = 10")
    .And(Plot.Epochs(runs, "full_loss", series: "sampler", title: "training loss (all images) after each epoch"))
    .And(Plot.Epochs(runs, "val_loss", series: "sampler", title: "validation loss after each epoch"))
    .Save("fmnist_esp");

// Mean +- sample sd over seeds of each metric, per sampler x beta2.
var final = runs.RunRecords.Select(r => (Sampler: r.Experiment.Sampler.Name, Beta2: ((Adam)r.Experiment.Optimizer).Beta2,
                                         Accuracy: r.EpochColumn("val_accuracy")[^1], ValLoss: r.EpochColumn("val_loss")[^1])).ToList();
string Show(GroupStats s) => $"{s.Mean:F4} +- {s.Std:F4}";
Console.WriteLine($"sampler     beta2  sawtooth_index     rise_index         amplitude          final_loss         val_loss           val_accuracy   ({seeds} seeds)");
foreach (var cell in GroupStats.Of(runs, "sawtooth_index", "sampler", "beta2"))
{
    var (sampler, beta2) = (cell.Keys[0], cell.Keys[1]);
    string Metric(string m) => Show(GroupStats.Of(runs, m, "sampler", "beta2").Single(c => c.Keys.SequenceEqual(cell.Keys)));
    var last = final.Where(f => f.Sampler == sampler && $"{f.Beta2}" == beta2).ToList();
    Console.WriteLine($"{sampler,-11} {beta2,-6} {Metric("sawtooth_index"),-18} {Metric("rise_index"),-18} {Metric("amplitude"),-18} " +
                      $"{Metric("final_loss"),-18} {Show(GroupStats.Of(last.Select(f => f.ValLoss))),-18} {Show(GroupStats.Of(last.Select(f => f.Accuracy)))}");
}

// The same cells' standard errors of the mean (sample sd / sqrt(seeds)), for comparing the means with another run's.
string Se(GroupStats s) => $"{s.Mean:F4} +- {s.Std / Math.Sqrt(s.Count):F4}";
Console.WriteLine($"mean +- standard error (sd / sqrt(n)):");
Console.WriteLine($"sampler     beta2  sawtooth_index     rise_index         amplitude          final_loss         val_accuracy");
foreach (var cell in GroupStats.Of(runs, "sawtooth_index", "sampler", "beta2"))
{
    var (sampler, beta2) = (cell.Keys[0], cell.Keys[1]);
    string Metric(string m) => Se(GroupStats.Of(runs, m, "sampler", "beta2").Single(c => c.Keys.SequenceEqual(cell.Keys)));
    var last = final.Where(f => f.Sampler == sampler && $"{f.Beta2}" == beta2).ToList();
    Console.WriteLine($"{sampler,-11} {beta2,-6} {Metric("sawtooth_index"),-18} {Metric("rise_index"),-18} {Metric("amplitude"),-18} " +
                      $"{Metric("final_loss"),-18} {Se(GroupStats.Of(last.Select(f => f.Accuracy)))}");
}
