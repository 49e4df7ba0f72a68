// Shared by the spike scripts: a table of spikes per group of runs, mean +- sample sd over the seeds in each group.
static string Spread(IEnumerable<double> xs) => $"{GroupStats.Of(xs),-21}";

/// One line per group: spikes per run, how many fell on an epoch's partial last batch, heights, final loss.
static void PrintSpikes(IEnumerable<IGrouping<string, RunRecord>> groups, SpikeRule rule)
{
    Console.WriteLine($"{"runs",-28} {"spikes/run",-21} {"at the partial batch",-20} {"max height",-21} final loss (last epoch)   [{rule.Label}]");
    foreach (var g in groups)
    {
        var found = g.Select(r => (Run: r, Spikes: rule.Detect(r.Losses))).ToList();
        int all = found.Sum(f => f.Spikes.Count);
        int partial = found.Sum(f => f.Run.Experiment.Sampler.DropLast || int.Parse(f.Run.Setting("n")!) % f.Run.Experiment.BatchSize == 0 ? 0
            : f.Spikes.Count(s => s.Step % f.Run.Experiment.StepsPerEpoch == f.Run.Experiment.StepsPerEpoch - 1));
        Console.WriteLine($"{g.Key,-28} {Spread(found.Select(f => (double)f.Spikes.Count))} {$"{partial} of {all}",-20} " +
                          $"{Spread(found.Select(f => f.Spikes.Count > 0 ? f.Spikes.Max(s => s.Height) : 1.0))} " +
                          $"{Spread(g.Select(r => r.Losses.TakeLast(r.Experiment.StepsPerEpoch).Average()))}");
    }
}
