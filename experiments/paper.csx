// Shared by the figure scripts (#load "paper.csx"): the paper's replication setting (section 1.1) and its
// helpers. --quick scales the problem to N = D = 1 000 with batch 10, which keeps 100 steps per epoch.
QuadraticProblem PaperProblem() => Args.Quick ? new QuadraticProblem(N: 1000, D: 1000) : new QuadraticProblem();

int PaperBatch() => Args.Quick ? 10 : 100;

/// Adam/RMSProp on the paper's problem: 10 epochs of 100 steps, shuffled unless told otherwise.
Experiment Paper(Optimizer optimizer, Sampler? sampler = null, Probes? probes = null, int epochs = 10,
                 int batchScale = 1, int seed = 0) =>
    new Experiment(PaperProblem(), optimizer, sampler ?? Sampler.Shuffle, Epochs: epochs,
                   BatchSize: PaperBatch() * batchScale, Seed: Args.Seed + seed, Probes: probes);

/// The values of a per-step column over epoch e (0-based).
double[] InEpoch(RunRecord run, string column, int epoch)
{
    int s = run.Experiment.StepsPerEpoch;
    return run.Column(column)[(epoch * s)..((epoch + 1) * s)];
}

string Beta2Of(RunRecord run) => run.Experiment.Optimizer switch
{
    Adam a => $"{a.Beta2}", RmsProp r => $"{r.Beta}", _ => "-",
};

/// Prints a claim and the numbers behind it, and returns whether it holds.
bool Claim(string text, bool holds)
{
    Console.WriteLine($"{(holds ? "HOLDS " : "FAILS ")} {text}");
    return holds;
}
