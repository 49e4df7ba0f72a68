namespace Esp.Core.Tests;

/// <summary>Honest statuses and readable summaries and plots of grids.</summary>
public sealed class ReportTests
{
    static Experiment Small(Optimizer optimizer, int seed = 0) =>
        new(new QuadraticProblem(N: 1000, D: 1000), optimizer, Sampler.Shuffle, Epochs: 5, BatchSize: 10, Seed: seed);

    [Fact]
    public void A_run_whose_loss_explodes_but_stays_finite_is_marked_exploded_with_the_step_and_left_out_of_means()
    {
        var log = new StringWriter();
        var results = Engine.Run([Small(new Adam(Beta2: 0.8)), Small(new Adam(Beta1: 0.99, Beta2: 0.8))], log);
        var exploded = Assert.Single(results.Exploded);

        Assert.Equal(1, exploded.Run);
        Assert.True(exploded.Losses.All(double.IsFinite), "finite, so not diverged");
        Assert.Contains("exploded: the mean batch loss of global steps", exploded.Message);
        Assert.Contains("over 100x its start", exploded.Message);
        Assert.Contains("from epoch 0, step 90", exploded.Message); // steps 90..99: 1 176 at 91, against a start of 7.775
        Assert.Contains(exploded.Message, log.ToString());
        Assert.Equal(["completed", "exploded"], results.Runs.GetColumn<string>("status").Values);

        var kept = GroupStats.Of(results, "sawtooth_index", "optimizer").Single();
        Assert.Equal(1, kept.Count); // the exploded run is out of the mean...
        Assert.Equal(results.Runs.GetColumn<double>("sawtooth_index").GetAt(0), kept.Mean);
        Assert.Equal(2, GroupStats.Of(results, "sawtooth_index", includeExploded: true, "optimizer").Single().Count); // ...unless asked
        Assert.EndsWith("exploded", Report.Summary(results, TextWriter.Null).Split('\n', StringSplitOptions.RemoveEmptyEntries)[2].TrimEnd());
    }

    [Theory]
    [InlineData(new double[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50, 99, 101, 5 }, 12)]
    [InlineData(new double[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50, 99, 100, 5 }, -1)] // 100x is the bound, not past it
    [InlineData(new double[] { 2, 1, 0.5, 0.2 }, -1)]
    public void Explosion_is_the_first_window_of_a_tenth_of_an_epoch_whose_mean_passes_100x_the_first(double[] losses, int step)
    {
        var e = Explosion.Find(losses, stepsPerEpoch: 10); // w = 1: single steps
        Assert.Equal(step, e?.Step ?? -1);
    }

    [Fact]
    public void One_steep_batch_is_a_spike_not_an_explosion()
    {
        var losses = Enumerable.Repeat(1.0, 40).ToArray(); // epochs of 20 steps: windows of w = 2
        losses[9] = 150; // 150x the start, but its window's mean is 75.5x
        Assert.Null(Explosion.Find(losses, stepsPerEpoch: 20));
        losses[8] = 150; // a whole window at 150x
        Assert.Equal(8, Explosion.Find(losses, stepsPerEpoch: 20)?.Step);
    }

    [Fact]
    public void A_summary_of_a_grid_mixing_optimizers_names_every_setting_that_differs()
    {
        var results = Engine.Run(Small(new Adam(Beta2: 0.8)), Small(new Adam(Beta2: 0.999)), Small(new Sgd(Lr: 0.05, Momentum: 0.9)));
        var lines = Report.Summary(results, TextWriter.Null).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("beta2", header);
        Assert.Contains("momentum", header);
        Assert.Contains("optimizer", header);
        Assert.DoesNotContain("seed", header);
        int momentum = Array.IndexOf(header, "momentum");
        Assert.Equal("-", lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[momentum]); // Adam has no momentum setting
    }

    [Fact]
    public void Plots_name_series_by_their_settings_draw_seeds_as_a_band_and_keep_joined_titles()
    {
        var grid = from beta2 in new[] { 0.999, 0.8 } from seed in new[] { 0, 1, 2 } select Small(new Adam(Beta2: beta2), seed);
        var results = Engine.Run(grid);
        var html = Plot.Loss(results, plotEvery: 10, title: "first")
            .And(Plot.Metric(results, x: "beta2", title: "second")).ToHtml();

        Assert.Contains("\"name\":\"beta2 = 0.999\"", html);
        Assert.Contains("\"name\":\"beta2 = 0.8\"", html);
        Assert.Contains("bands: mean +- sd over 3 seeds", html);
        Assert.Contains("\"fill\":\"tonexty\"", html);
        Assert.DoesNotContain("(run ", html);
        Assert.Contains("<h3 style=\"font-family:sans-serif\">second</h3>", html);

        var many = Engine.Run(Enumerable.Range(0, 12).Select(k => Small(new Adam(Lr: 0.01 * (k + 1)))));
        var colours = System.Text.RegularExpressions.Regex.Matches(Plot.Loss(many).ToHtml(), "\"color\":\"(#[0-9a-f]{6})\"")
            .Select(m => m.Groups[1].Value).Distinct().Count();
        Assert.Equal(12, colours);
    }

    [Fact]
    public void A_heat_map_prints_its_values()
    {
        var html = Charts.Heatmap("t", "eps", ["1e-8", "1e-2"], "beta2", ["0.8"], [[0.4, double.NaN]]).ToHtml();
        Assert.Contains("\"text\":\"0.400\"", html);
        Assert.Contains("\"text\":\"-\"", html);
    }
}
