/// <summary>
/// Descriptions are values: a grid of every kind (the quadratic problems, networks on each dataset, BERT, each
/// optimizer, schedules, probes) is built, validated, printed and compared in a process that never loads libtorch, and
/// validation reads no data (the prepare step does). Checked in an esp-script process of its own, where nothing else
/// has loaded libtorch, by its memory map.
/// </summary>
[Collection("esp-script")]
public sealed class DescriptionsWithoutLibtorchTests : IDisposable
{
    readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_grid_of_every_kind_is_built_validated_printed_and_compared_without_loading_libtorch()
    {
        File.WriteAllText(Path.Combine(scratch.Folder, "rows.csv"), "a,b,label\n1,2,0\nnot a number,3,1\n");
        scratch.Write("describe.csx", """
            var problems = new Problem[]
            {
                new QuadraticProblem(), new NoisyQuadratic(N: 100), new RiverValley(),
                new Network(new Mlp(784, [64], 10, Dropout: 0.1), new FashionMnist(TrainExamples: 1000)),
                new Network(new LeNet(), new FashionMnist()),
                new Network(new Mlp(14, [8], 4), new SyntheticTabular()),
                new Network(new Mlp(2, [8], 2), new CsvDataset("rows.csv")),            // a CSV that does not parse: found when prepared
                new BertPretraining(Bert.Cpu, new Fortunes(), TrainPairs: 800),
            };
            var optimizers = new Optimizer[] { new Adam(), new AdamW(), new Sgd(Lr: 0.1, Momentum: 0.9), new RmsProp(Momentum: 0.9), new Spam(), new Lion(1e-4) };
            var grid = (from problem in problems from optimizer in optimizers
                        select new Experiment(problem, optimizer, Sampler.Shuffle, Epochs: 4, BatchSize: 10,
                            Schedule: Schedule.Wsd(decayFraction: 0.25), Probes: new Probes(MomentNorms: true, Extra: [new CosineGradMomentum()]))).ToList();
            grid.Add(grid[0] with { Device = "cuda" }); // whether CUDA is there is the machine's to say, when prepared
            int errors = grid.Sum(x => x.Errors().Count());
            int printed = grid.Sum(x => x.ToString().Length);
            bool equal = grid.Zip(grid.Select(x => x with { })).All(p => p.First == p.Second && p.First.GetHashCode() == p.Second.GetHashCode());
            bool libtorch = File.ReadAllText("/proc/self/maps").Contains("libtorch");
            Console.WriteLine($"experiments {grid.Count}, errors {errors}, printed {printed > 0}, equal {equal}, libtorch loaded {libtorch}");
            var csv = grid.Single(x => x.Problem is Network { Data: CsvDataset } && x.Optimizer is Lion);
            Console.WriteLine($"prepared: {string.Join(" | ", csv.PreparedErrors())}");
            """);
        var (code, output, err) = EspProcess.Run(scratch.Folder, "describe.csx", "--cache", scratch.Cache);

        Assert.True(code == 0, err);
        Assert.Contains("experiments 49, errors 0, printed True, equal True, libtorch loaded False", output);
        Assert.Contains("prepared: CsvDataset: ", output); // the parse error, found only by the prepare step
    }
}
