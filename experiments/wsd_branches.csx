// One constant-learning-rate run serves many decays (WSD with branching): Adam (lr 0.06, beta2 0.8) on the paper's
// problem for 20 epochs, checkpointed every 4 epochs; from the checkpoints after epochs 4, 8, 12 and 16, branches decay
// the learning rate linearly to 0 over 4 more epochs. Printed: each branch's final loss against the stable run's loss
// at the same point, and the ESP metrics of the stable phase against the decay phase (does the sawtooth shrink as the
// learning rate decays?). A branch equals an uninterrupted run of its own description (checked here for one).
// --quick: N = D = 1 000, batch 10.
EngineOptions = EngineOptions with { CheckpointEvery = 4, RunsPerBatch = 1 };
var problem = Args.Quick ? new QuadraticProblem(N: 1000, D: 1000) : new QuadraticProblem();
const int decayEpochs = 4;
var stable = new Experiment(problem, new Adam(Lr: 0.06, Beta2: 0.8), Sampler.Shuffle, Epochs: 20, BatchSize: Args.Quick ? 10 : 100, Seed: Args.Seed);
int S = stable.StepsPerEpoch;
var main = Run(stable).RunRecords[0];

Experiment Decayed(int start) => stable with { Epochs = start + decayEpochs, Schedule = Schedule.Constant.Then(start * S, Schedule.Wsd(decayFraction: 1)) };
var starts = new[] { 4, 8, 12, 16 };
var branches = Run(starts.Select(start => Decayed(start) with { From = new Branch(stable, start) })).RunRecords;
var whole = Run(Decayed(8)).RunRecords[0];
Console.WriteLine($"branch from epoch 8 equals the uninterrupted run of its description: {whole.Losses.SequenceEqual(branches[1].Losses)}");

var results = new Results(branches.Prepend(main).ToList());
Plot.Loss(results, plotEvery: 10, series: "schedule", title: "WSD by branching: one stable run, decays from its checkpoints").Save("wsd_branches");

double Mean(RunRecord r, int fromEpoch, int toEpoch) => r.Losses.Skip(fromEpoch * S).Take((toEpoch - fromEpoch) * S).Average();
Console.WriteLine("decay from  final loss (last epoch)  stable run, same epoch  stable phase (epochs 2..start-1)   decay phase (start..start+3)");
foreach (var (start, b) in starts.Zip(branches))
{
    int end = start + decayEpochs;
    var before = start >= 4 ? EspMetrics.Between(b.Losses, S, 2, start - 1) : null;
    var during = EspMetrics.Between(b.Losses, S, start, end - 1);
    Console.WriteLine($"epoch {start,-5} {Mean(b, end - 1, end),20:F4}  {Mean(main, end - 1, end),22:F4}  " +
                      $"saw {before?.SawtoothIndex,6:F3} rise {before?.RiseIndex,6:F3}     saw {during.SawtoothIndex,6:F3} rise {during.RiseIndex,6:F3}");
}
