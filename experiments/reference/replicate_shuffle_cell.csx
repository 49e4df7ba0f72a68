// fmnist_esp.csx's shuffle cell at --beta2 (default 0.8) only, seeds from --seed, --seeds of them (a replication of one cell)
var problem = new Network(new Mlp(784, [256, 128], 10), new FashionMnist());
var runs = Run(from seed in Enumerable.Range(Args.Seed, Args.Get("seeds", 8))
               select new Experiment(problem, new Adam(Lr: 1e-3, Beta2: Args.Get("beta2", 0.8)), Sampler.Shuffle, Epochs: 20, BatchSize: 128,
                                     Seed: seed, Probes: new Probes(EpochEndFullLoss: true)));
Console.WriteLine($"val_loss last epoch: {GroupStats.Of(runs.RunRecords.Select(r => r.EpochColumn("val_loss")[^1]))}");
