// Does the sawtooth shrink when the learning rate decays? WSD (linear decay to 0 over the last quarter of the epochs)
// against a constant lr, with the ESP metrics of the stable phase (epoch 2 to the last before the decay) against the
// decay phase (EspMetrics.Between), on the paper's quadratic (Adam lr 0.06, beta2 0.8, batch 100) and on Fashion-MNIST
// (MLP 784-256-128-10, Adam lr 1e-3, beta2 0.8, batch 128, 12 000 images). The constant run over the same epochs is
// the control: a change that shows there too comes from training longer, not from the decay. 20 epochs, 2 seeds.
// --quick: N = D = 1 000 and batch 10 on the quadratic, 2 000 images, 8 epochs.
int epochs = Args.Quick ? 8 : 20, decayStart = epochs * 3 / 4;
var problems = new (string Name, Problem Problem, Optimizer Adam, int Batch)[]
{
    ("quadratic", Args.Quick ? new QuadraticProblem(N: 1000, D: 1000) : new QuadraticProblem(), new Adam(Lr: 0.06, Beta2: 0.8), Args.Quick ? 10 : 100),
    ("fashion-mnist mlp", new Network(new Mlp(784, [256, 128], 10), new FashionMnist(TrainExamples: Args.Quick ? 2000 : 12_000, ValidationExamples: 0)),
        new Adam(Lr: 1e-3, Beta2: 0.8), 128),
};
var schedules = new[] { Schedule.Constant, Schedule.Wsd(decayFraction: 0.25) };
var runs = Run(from p in problems
               from schedule in schedules
               from seed in Enumerable.Range(Args.Seed, 2)
               select new Experiment(p.Problem, p.Adam, Sampler.Shuffle, Epochs: epochs, BatchSize: p.Batch, Seed: seed, Schedule: schedule));

Plot.Loss(runs, plotEvery: 10, panels: "n", series: "schedule", title: "batch loss: constant lr against WSD (decay over the last quarter)")
    .Save("wsd_phases");

// One row per run and phase: phases.csv (problem, schedule, seed, phase, first_epoch, last_epoch, sawtooth_index, rise_index).
var phases = (from r in runs.RunRecords
              from phase in new[] { (Name: "stable", First: 2, Last: decayStart - 1), (Name: "decay", First: decayStart, Last: epochs - 1) }
              let m = EspMetrics.Between(r.Losses, r.Experiment.StepsPerEpoch, phase.First, phase.Last)
              select (Problem: problems.Single(p => p.Problem == r.Experiment.Problem).Name, Schedule: r.Experiment.LrSchedule.Label, r.Experiment.Seed,
                      Phase: phase.Name, phase.First, phase.Last, m.SawtoothIndex, m.RiseIndex)).ToList();
Csv.Save(Frame.FromRecords(phases.Select(p => new { problem = p.Problem, schedule = p.Schedule, seed = p.Seed, phase = p.Phase,
    first_epoch = p.First, last_epoch = p.Last, sawtooth_index = p.SawtoothIndex, rise_index = p.RiseIndex })), "phases.csv");

Console.WriteLine($"problem            schedule          phase   epochs   sawtooth_index           rise_index   (mean +- sd over seeds)");
foreach (var g in phases.GroupBy(p => (p.Problem, p.Schedule, p.Phase, p.First, p.Last)))
    Console.WriteLine($"{g.Key.Problem,-18} {g.Key.Schedule,-17} {g.Key.Phase,-7} {g.Key.First,2}..{g.Key.Last,-3}  {GroupStats.Of(g.Select(p => p.SawtoothIndex)),-24} {GroupStats.Of(g.Select(p => p.RiseIndex))}");
