using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

/// <summary>Slicing grids into shards (each run once, balanced by cost, stable), a shard's records read back bit for
/// bit, and results replacing a folder without losing its shards.</summary>
public class ShardTests
{
    static Arbitrary<(double[] Costs, int Count)> Grids() =>
        (from count in Gen.Choose(1, 12)
         from costs in Gen.Choose(1, 1000).Select(c => (double)c).ArrayOf()
         select (costs, count)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Every_run_goes_to_one_shard_and_the_largest_shard_is_within_one_run_of_the_smallest() =>
        Prop.ForAll(Grids(), g =>
        {
            var owner = Shard.Assign(g.Costs, g.Count);
            var load = Enumerable.Range(0, g.Count).Select(s => owner.Select((o, i) => o == s ? g.Costs[i] : 0).Sum()).ToList();
            return owner.All(o => o >= 0 && o < g.Count)
                && load.Max() - load.Min() <= (g.Costs.Length == 0 ? 0 : g.Costs.Max())
                && owner.SequenceEqual(Shard.Assign(g.Costs.ToList(), g.Count)); // stable: the same grid, the same cut
        });

    static readonly QuadraticProblem Small = new(N: 100, D: 100);

    [Fact]
    public void Slices_partition_the_grid_and_a_long_run_gets_a_shard_to_itself()
    {
        // one run of 40 epochs and eight of 5: the long one costs as much as the eight together
        var grid = Enumerable.Range(0, 8).Select(s => new Experiment(Small, new Adam(), Sampler.Shuffle, Epochs: 5, BatchSize: 10, Seed: s))
            .Prepend(new Experiment(Small, new Adam(), Sampler.Shuffle, Epochs: 40, BatchSize: 10)).ToList();
        var slices = Enumerable.Range(0, 2).Select(i => new Shard(i, 2).Slice(grid)).ToList();
        Assert.Equal([0], slices[0]);
        Assert.Equal(Enumerable.Range(1, 8), slices[1]);
        // equal runs: counts differ by at most one, and each slice keeps the grid's order
        var even = grid.Skip(1).ToList();
        Assert.Equal([[0, 3, 6], [1, 4, 7], [2, 5]], Enumerable.Range(0, 3).Select(i => new Shard(i, 3).Slice(even)));
        Assert.Empty(new Shard(5, 8).Slice(grid.Take(3).ToList()));
    }

    [Fact]
    public void A_network_step_costs_its_parameters_times_the_batch_and_a_quadratic_step_its_parameters_plus_the_batch()
    {
        var mlp = new Network(new Mlp(14, [100, 40], 4), new SyntheticTabular(TrainExamples: 1000));
        const double parameters = 14 * 100 + 100 + 100 * 40 + 40 + 40 * 4 + 4;
        Assert.Equal(2 * 20 * parameters * 50, Shard.Cost(new Experiment(mlp, new Adam(), Sampler.Shuffle, Epochs: 2, BatchSize: 50)));
        Assert.Equal(10 * 10 * (100.0 + 10), Shard.Cost(new Experiment(Small, new Adam(), Sampler.Shuffle, Epochs: 10, BatchSize: 10)));
    }

    [Fact]
    public void Records_read_back_bit_for_bit_and_a_flipped_cut_or_foreign_file_is_refused()
    {
        var grid = new[]
        {
            new Experiment(Small, new Adam(Beta2: 0.8), Sampler.Shuffle, Epochs: 3, BatchSize: 10, Probes: Probes.All(2) with { Coordinates = [] }),
            new Experiment(Small, new Adam(Lr: 1e6), Sampler.Sequential, Epochs: 3, BatchSize: 10, Seed: 1), // explodes: a status and message to keep
        };
        var runs = Engine.Run(grid, TextWriter.Null, firstRun: 7).RunRecords;
        var path = Path.Combine(Directory.CreateTempSubdirectory("esp-records-").FullName, "records.bin");
        try
        {
            RecordFile.Write(path, runs);
            var stored = RecordFile.Read(path);
            Assert.Equal([7, 8], stored.Select(s => s.Run));
            Assert.Equal(grid.Select(x => x.ToString()), stored.Select(s => s.Description));
            for (int k = 0; k < 2; k++)
            {
                var (a, b) = (runs[k], stored[k].WithExperiment(grid[k]));
                Assert.Equal((a.Run, a.StepsTaken, a.Status, a.Message, a.Seconds), (b.Run, b.StepsTaken, b.Status, b.Message, b.Seconds));
                Assert.Equal(a.StepColumnNames, b.StepColumnNames);
                foreach (var name in a.StepColumnNames)
                    Assert.Equal(a.Column(name).Select(BitConverter.DoubleToInt64Bits), b.Column(name).Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(a.EpochColumnNames, b.EpochColumnNames);
                Assert.Equal(a.EpochColumns, b.EpochColumns);
                Assert.Equal(a.BatchLosses, b.BatchLosses);
            }
            Assert.Equal(RunStatus.Exploded, stored[1].WithExperiment(grid[1]).Status);
            var good = File.ReadAllBytes(path);
            string Refusal(byte[] bytes)
            {
                File.WriteAllBytes(path, bytes);
                return Assert.Throws<InvalidDataException>(() => RecordFile.Read(path)).Message;
            }
            foreach (int at in new[] { 0, 40, good.Length / 2, good.Length - 40, good.Length - 1 }) // one flipped bit anywhere
                Assert.Equal($"record file {path} is corrupt: its SHA-256 does not match its content: run its shard again",
                    Refusal(good.Select((b, i) => i == at ? (byte)(b ^ 1) : b).ToArray()));
            Assert.Contains("its SHA-256 does not match", Refusal(good[..^100]));
            Assert.Contains($"record file {path} is corrupt: 9 bytes, cut short", Refusal("steps.csv"u8.ToArray()));
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); }
    }

    [Fact]
    public void Replacing_a_folder_carries_its_shards_over_and_a_failed_fill_leaves_both_as_they_were()
    {
        var root = Directory.CreateTempSubdirectory("esp-carry-").FullName;
        try
        {
            var folder = Path.Combine(root, "sweep");
            Directory.CreateDirectory(Path.Combine(folder, "shards", "0-of-1"));
            File.WriteAllText(Path.Combine(folder, "shards", "0-of-1", "records.bin"), "r");
            File.WriteAllText(Path.Combine(folder, "runs.csv"), "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteFolder(folder, _ => throw new InvalidOperationException(), carry: ["shards"]));
            Assert.Equal("old", File.ReadAllText(Path.Combine(folder, "runs.csv")));
            AtomicFile.WriteFolder(folder, staging => File.WriteAllText(Path.Combine(staging, "runs.csv"), "new"), carry: ["shards"]);
            Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "runs.csv")));
            Assert.Equal("r", File.ReadAllText(Path.Combine(folder, "shards", "0-of-1", "records.bin")));
            Assert.Equal(["sweep"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName)); // no staging or old folder left
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
