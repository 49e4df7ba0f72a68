using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Esp.Core.Tests;

/// <summary>Faceted figures (what the legend names, one colour per series value, bands, ticks, ranges, subtitles) and
/// frames that hold every result column, read from the plotly JSON the page draws.</summary>
public sealed class FigureTests
{
    static Experiment Small(Optimizer optimizer, int seed = 0, int epochs = 5) =>
        new(new QuadraticProblem(N: 1000, D: 1000), optimizer, Sampler.Shuffle, Epochs: epochs, BatchSize: 10, Seed: seed);

    /// <summary>Each drawing of the page: its traces and layout, as handed to Plotly.newPlot.</summary>
    static List<(JArray Data, JObject Layout)> Drawings(Figure figure)
    {
        var html = figure.ToHtml();
        var found = new List<(JArray, JObject)>();
        for (int at = html.IndexOf("Plotly.newPlot(\"", StringComparison.Ordinal); at >= 0; at = html.IndexOf("Plotly.newPlot(\"", at + 1, StringComparison.Ordinal))
        {
            var reader = new JsonTextReader(new StringReader(html[(html.IndexOf(", ", at, StringComparison.Ordinal) + 2)..])) { SupportMultipleContent = true };
            var data = (JArray)JToken.ReadFrom(reader);
            reader.Read(); // the comma is skipped by the reader; the layout follows
            found.Add((data, (JObject)JToken.ReadFrom(reader)));
        }
        return found;
    }

    static IEnumerable<string> LegendEntries(JArray data) =>
        data.Where(t => t["showlegend"]?.Value<bool>() != false).Select(t => (string)t["name"]!);

    static string Colour(JToken trace) => (string)(trace["fill"] is null ? trace["line"]!["color"]! : trace["fillcolor"]!)!;

    [Fact]
    public void A_grid_mixing_optimizers_names_only_what_tells_series_apart_and_each_panel_names_its_own()
    {
        var grid = from optimizer in new Optimizer[] { new Adam(Lr: 0.01, Beta2: 0.999), new Adam(Lr: 0.01, Beta2: 0.8), new Sgd(Lr: 0.05, Momentum: 0.9) }
                   from seed in new[] { 0, 1 }
                   select Small(optimizer, seed);
        var results = Engine.Run(grid);

        var (data, layout) = Drawings(Plot.Loss(results, panels: "optimizer")).Single();
        Assert.Equal(["beta2 = 0.999", "beta2 = 0.8", "optimizer = sgd"], LegendEntries(data)); // not SGD's momentum or Adam's beta1, not the seed
        var titles = layout["annotations"]!.Select(a => (string)a["text"]!).ToList();
        Assert.Equal(["optimizer = adam, lr = 0.01", "optimizer = sgd, lr = 0.05"], titles); // one lr per panel: said there

        var (alone, _) = Drawings(Plot.Loss(results)).Single();
        Assert.Equal(["optimizer = adam, lr = 0.01, beta2 = 0.999", "optimizer = adam, lr = 0.01, beta2 = 0.8", "optimizer = sgd, lr = 0.05"], // lr is each optimizer's own: said
            LegendEntries(alone));
        Assert.DoesNotContain(LegendEntries(alone), e => e.Contains(" = -", StringComparison.Ordinal) || e.Contains("seed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_series_value_has_one_colour_in_every_panel_and_every_figure_of_a_page()
    {
        var grid = from beta2 in new[] { 0.999, 0.8 } from beta1 in new[] { 0.9, 0.5 } select Small(new Adam(Lr: 0.01, Beta1: beta1, Beta2: beta2));
        var results = Engine.Run(grid);
        var page = Plot.Loss(results, panels: "beta1", series: "beta2").And(Plot.Loss(results.Where(r => r.Setting("beta2") == "0.8"), series: "beta2"));

        var colours = Drawings(page).SelectMany(d => d.Data).Where(t => t["fill"] is null)
            .GroupBy(t => ((string)t["name"]!)).ToDictionary(g => g.Key, g => g.Select(Colour).Distinct().ToList());
        Assert.Single(colours["beta2 = 0.8"]); // in both panels of the first figure and in the second
        Assert.Single(colours["beta2 = 0.999"]);
        Assert.NotEqual(colours["beta2 = 0.8"][0], colours["beta2 = 0.999"][0]);
        Assert.Equal(2, Drawings(page)[0].Data.Count(t => (string)t["name"]! == "beta2 = 0.8")); // one line per panel...
        Assert.Single(LegendEntries(Drawings(page)[0].Data), e => e == "beta2 = 0.8"); // ...one legend entry
    }

    [Fact]
    public void Seeds_are_a_band_clipped_at_zero_for_a_quantity_that_never_goes_below_it()
    {
        Experiment x = Small(new Adam(), epochs: 1);
        RunRecord Run(int seed, double loss) => new(seed, x with { Seed = seed }, ["loss"], [Enumerable.Repeat(loss, x.TotalSteps).ToArray()],
            x.TotalSteps, [], [], [], RunStatus.Completed, "", 0);
        var results = new Results([Run(0, 0.0), Run(1, 0.1), Run(2, 2.0)]); // mean 0.7, sd 1.13: mean - sd < 0

        var figure = Plot.Loss(results);
        var (data, _) = Drawings(figure).Single();
        var lower = data.Single(t => (string?)t["fill"] == "tonexty");
        Assert.All(lower["y"]!.Values<double>(), v => Assert.Equal(0, v));
        Assert.Equal(0.7, data.Single(t => t["showlegend"]!.Value<bool>())["y"]!.Values<double>().First(), 12);
        Assert.Equal("loss: mean of each 10 steps (plot_every = 10), no smoothing; bands: mean +- sd over 3 seeds", figure.Subtitles.Single());
    }

    [Fact]
    public void The_subtitle_says_plot_every_and_smoothing_whatever_the_title()
    {
        var results = Engine.Run(Small(new Adam()));
        var figure = Plot.Lines(results, "loss", plotEvery: 4, title: "my own title", smoothing: 0.75);
        Assert.Equal("my own title", figure.Title);
        Assert.Equal("loss: mean of each 4 steps (plot_every = 4), smoothed with c = 0.75", figure.Subtitles.Single());
    }

    [Theory]
    [InlineData(100, null, 3, 20)] // 100 epochs over three columns: ticks at 0, 20, ..., 100
    [InlineData(100, null, 1, 10)]
    [InlineData(5, null, 3, 1)]
    [InlineData(400, 3, 1, 50)]
    public void Epoch_ticks_are_thinned_to_a_readable_count(int epochs, int? wrapTo, int panels, double dtick)
    {
        Experiment x = Small(new Adam(), epochs: epochs) with { Problem = new QuadraticProblem(N: 20, D: 10) };
        var results = Engine.Run(Enumerable.Range(0, panels).Select(k => x with { Optimizer = new Adam(Lr: 0.01 * (k + 1)) }));
        var (_, layout) = Drawings(Plot.Loss(results, plotEvery: 1, panels: "lr", wrap: wrapTo ?? 3)).Single();
        Assert.All(layout.Properties().Where(p => p.Name.StartsWith("xaxis", StringComparison.Ordinal)), p => Assert.Equal(dtick, p.Value["dtick"]!.Value<double>()));
        Assert.True(epochs / dtick <= 12);
    }

    [Fact]
    public void Panels_wrap_into_rows_and_use_the_whole_width()
    {
        var results = Engine.Run(Enumerable.Range(0, 5).Select(k => Small(new Adam(Lr: 0.001 * (k + 1)), epochs: 2)));
        var (_, layout) = Drawings(Plot.Loss(results, panels: "lr", wrap: 3)).Single();
        var domains = Enumerable.Range(1, 5).Select(k => layout[k == 1 ? "xaxis" : $"xaxis{k}"]!["domain"]!.Values<double>().ToArray()).ToList();
        Assert.Equal(0, domains[0][0]);
        Assert.Equal(1, domains[2][1], 9); // three columns across the page
        Assert.Equal(domains[0], domains[3]); // the fourth panel starts the second row
        var rows = Enumerable.Range(1, 5).Select(k => layout[k == 1 ? "yaxis" : $"yaxis{k}"]!["domain"]!.Values<double>().First()).Distinct().Count();
        Assert.Equal(2, rows);
        Assert.Equal(2 * 300 + 80, layout["height"]!.Value<int>());

        var four = Drawings(Plot.Loss(results.Where(r => r.Run < 4), panels: "lr", wrap: 3)).Single().Layout;
        Assert.Equal(four["xaxis"]!["domain"]!.Values<double>(), four["xaxis3"]!["domain"]!.Values<double>()); // 2 x 2, not 3 + 1
        Assert.Equal("y", (string)four["yaxis2"]!["matches"]!); // one y range for every panel...
        var own = Drawings(Plot.Loss(results.Where(r => r.Run < 4), panels: "lr", shareY: false)).Single().Layout;
        Assert.Null(own["yaxis2"]!["matches"]); // ...or each its own
    }

    [Fact]
    public void The_y_range_can_leave_out_the_first_epochs_and_the_y_axis_can_be_logarithmic()
    {
        var results = Engine.Run(Small(new Sgd(Lr: 0.05), epochs: 6));
        int perEpoch = results.RunRecords[0].Experiment.StepsPerEpoch;
        var epochMeans = results.RunRecords[0].Losses.Chunk(perEpoch).Select(e => e.Average()).ToList(); // plot_every = one epoch
        var (_, layout) = Drawings(Plot.Loss(results, plotEvery: perEpoch, yFromEpoch: 2, logY: true)).Single();
        var range = layout["yaxis"]!["range"]!.Values<double>().ToArray();
        var drawn = epochMeans.Skip(2).Select(Math.Log10).ToList();
        double margin = (drawn.Max() - drawn.Min()) * 0.05;
        Assert.Equal("log", (string)layout["yaxis"]!["type"]!);
        Assert.Equal(drawn.Min() - margin, range[0], 12); // what is drawn from epoch 2 on, in decades, with 5 % either side
        Assert.Equal(drawn.Max() + margin, range[1], 12);
        Assert.True(Math.Log10(epochMeans[0]) > range[1], $"the first epoch's {epochMeans[0]} is left above the range");
    }

    [Fact]
    public void A_figure_never_names_a_setting_derived_from_others_such_as_d()
    {
        var data = new SyntheticTabular(TrainExamples: 200, ValidationExamples: 50);
        var grid = from hidden in new[] { 16, 32 } from dropout in new[] { 0.0, 0.3 }
                   select new Experiment(new Network(new Mlp(14, [hidden], 4, Dropout: dropout), data), new Adam(1e-3), Sampler.Shuffle, Epochs: 2, BatchSize: 50);
        var results = Engine.Run(grid);
        var (data_, _) = Drawings(Plot.Epochs(results, "val_loss", series: "layers")).Single();
        Assert.Equal(["layers = 14-16-4, dropout = 0", "layers = 14-16-4, dropout = 0.3", "layers = 14-32-4, dropout = 0", "layers = 14-32-4, dropout = 0.3"],
            LegendEntries(data_)); // not the model's label, not d
    }

    [Fact]
    public void A_missing_column_or_setting_is_refused_with_the_ones_there_are()
    {
        var results = Engine.Run(Small(new Adam(), epochs: 4));
        var metric = Assert.Throws<ArgumentException>(() => GroupStats.Of(results, "sawtooth", "optimizer"));
        Assert.StartsWith("runs have no column \"sawtooth\"; runs.csv has: run, optimizer, lr,", metric.Message);
        Assert.Contains("sawtooth_index", metric.Message);
        Assert.Contains("set Spikes", Assert.Throws<ArgumentException>(() => GroupStats.Of(results, "loss_spikes")).Message);
        Assert.Contains("text column", Assert.Throws<ArgumentException>(() => GroupStats.Of(results, "status")).Message);
        Assert.Contains("cannot group by \"model\"", Assert.Throws<ArgumentException>(() => GroupStats.Of(results, "final_loss", "model")).Message);
        Assert.StartsWith("no run recorded a per-step column \"m_norm\"; steps.csv has: loss, lr_t",
            Assert.Throws<ArgumentException>(() => Plot.Lines(results, "m_norm")).Message);
        Assert.Contains("no run recorded an epoch column \"val_loss\"", Assert.Throws<ArgumentException>(() => Plot.Epochs(results, "val_loss")).Message);
        Assert.Contains("cannot facet by \"dropout\"", Assert.Throws<ArgumentException>(() => Plot.Loss(results, panels: "dropout")).Message);
    }

    [Fact]
    public void Frames_hold_the_spike_columns_runs_csv_has_and_summaries_show_them()
    {
        var rule = new RelativeRule(Window: 10, Factor: 1.5);
        var results = new Results(Engine.Run(Small(new Adam(Beta2: 0.8)), Small(new Sgd(Lr: 0.05))).RunRecords, rule);

        var spikes = GroupStats.Of(results, "loss_spikes", "optimizer");
        Assert.Equal(2, spikes.Count);
        Assert.Equal(rule.Detect(results.RunRecords[0].Losses).Count, spikes[0].Mean);
        var folder = Directory.CreateTempSubdirectory("esp-frames-").FullName;
        results.Save(folder);
        var header = File.ReadLines(Path.Combine(folder, "runs.csv")).First().Split(',');
        Assert.Equal(header, results.Runs.ColumnKeys.ToArray()); // the frame is runs.csv, column for column
        Assert.True(Array.IndexOf(header, "spike_score") < Array.IndexOf(header, "message"), "measurements before the message");
        Assert.Contains("loss_spikes", Report.Summary(results, TextWriter.Null).Split('\n')[0]);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Settings_come_first_and_together_in_every_frame_and_file_whatever_optimizers_a_grid_mixes()
    {
        var results = Engine.Run(Small(new Adam()), Small(new Sgd(Lr: 0.05, Momentum: 0.9)));
        var steps = results.Steps.ColumnKeys.ToList();
        Assert.Equal(["run", "optimizer", "lr", "momentum", "dampening", "nesterov", "beta1", "beta2", "eps", "weight_decay", "bias_correction", "sampler"], steps.Take(12));
        Assert.True(steps.IndexOf("device") < steps.IndexOf("epoch"), "every setting before the first measurement");
        var csv = new StringWriter();
        StepsCsv.Write(results.RunRecords, csv);
        Assert.Equal(string.Join(",", steps), csv.ToString().Split('\n')[0].TrimEnd('\r'));
        var runs = results.Runs.ColumnKeys.ToList();
        Assert.True(runs.IndexOf("nesterov") < runs.IndexOf("status"));
    }

    [Fact]
    public void A_network_s_model_and_data_hyperparameters_are_columns_of_their_own()
    {
        var results = Engine.Run(new Experiment(new Network(new Mlp(14, [16, 8], 4, Activation.Tanh, Dropout: 0.25), new SyntheticTabular(TrainExamples: 100, ValidationExamples: 20)),
            new Adam(1e-3), Sampler.Shuffle, Epochs: 1, BatchSize: 50));
        var runs = results.Runs;
        Assert.Equal("mlp", runs.GetColumn<string>("model_kind").Values.Single());
        Assert.Equal("14-16-8-4", runs.GetColumn<string>("layers").Values.Single());
        Assert.Equal("tanh", runs.GetColumn<string>("activation").Values.Single());
        Assert.Equal(0.25, runs.GetColumn<double>("dropout").Values.Single());
        Assert.Equal("tabular", runs.GetColumn<string>("dataset").Values.Single());
        Assert.Equal(100, runs.GetColumn<int>("train_size").Values.Single());
        Assert.Equal(20, runs.GetColumn<int>("validation_size").Values.Single());
        Assert.Equal(["lenet", "c6-c16-120-84-10", "relu", "0.5"], new LeNet(Dropout: 0.5).Settings().Skip(0).Select(s => Require.Show(s.Value)));
    }
}
