// The river-valley picture of warmup-stable-decay: a loss with one flat direction (the river, curvature 0.001) and 20
// steep, noisy ones (the hills, curvature 1..10, each function's centre drawn with sd 1), N = 1 000 functions, batch
// 10, SGD lr 0.05 (RiverValley). The loss splits exactly into river + hill + floor (epochs.csv). At equal budgets
// (40 epochs): constant lr, cosine, WSD (decay over the last 20%), and WSD-S (4 cycles). Claims checked: at constant lr
// the hill part stays up (oscillation) while the river part falls; the decay removes the hill part; where each
// schedule ends. 3 seeds. --quick: 12 epochs, 2 seeds.
int epochs = Args.Quick ? 12 : 40, seeds = Args.Quick ? 2 : 3;
var problem = new RiverValley();
var schedules = new[] { Schedule.Constant, Schedule.Cosine(), Schedule.Wsd(decayFraction: 0.2), Schedule.WsdS(4, decayFraction: 0.2) };
var runs = Run(from schedule in schedules
               from seed in Enumerable.Range(Args.Seed, seeds)
               select new Experiment(problem, new Sgd(Lr: 0.05), Sampler.Shuffle, Epochs: epochs, BatchSize: 10, Seed: seed,
                                     Schedule: schedule, Probes: new Probes(EpochEndFullLoss: true)));

Plot.Epochs(runs, "hill_loss", series: "schedule", title: "hill part of the loss after each epoch")
    .And(Plot.Epochs(runs, "river_loss", series: "schedule", title: "river part after each epoch"))
    .And(Plot.Loss(runs, plotEvery: 100, series: "schedule", title: "batch loss")).Save("wsd_river");

string Spread(IEnumerable<double> xs) => $"{GroupStats.Of(xs),-21}";
int half = epochs / 2 - 1, stableEnd = (int)(0.8 * epochs) - 1;
Console.WriteLine($"schedule                    hill (epoch {half})          hill (epoch {stableEnd})         hill (end)             river (epoch {half})         river (end)            full loss - floor (end)");
foreach (var g in runs.RunRecords.GroupBy(r => r.Experiment.LrSchedule.Label))
    Console.WriteLine($"{g.Key,-27} {Spread(g.Select(r => r.EpochColumn("hill_loss")[half]))} {Spread(g.Select(r => r.EpochColumn("hill_loss")[stableEnd]))} " +
                      $"{Spread(g.Select(r => r.EpochColumn("hill_loss")[^1]))} {Spread(g.Select(r => r.EpochColumn("river_loss")[half]))} " +
                      $"{Spread(g.Select(r => r.EpochColumn("river_loss")[^1]))} {Spread(g.Select(r => r.EpochColumn("full_loss")[^1] - r.EpochColumn("floor")[^1]))}");
var first = runs.RunRecords[0];
Console.WriteLine($"decomposition check (run 0, every epoch): max |full - (river + hill + floor)| = " +
    $"{first.EpochColumn("full_loss").Select((f, e) => Math.Abs(f - first.EpochColumn("river_loss")[e] - first.EpochColumn("hill_loss")[e] - first.EpochColumn("floor")[e])).Max():E1}");
