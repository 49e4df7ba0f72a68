using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// The pages two user grids draw, measured in headless Chromium (Debian's, the network off) at 1400 px: experiments/
/// adam_spikes.csx --quick (Adam and SGD in one grid, two seeds), and a network grid of two models x two dropouts x two
/// batch sizes. What is asserted is what the browser drew: legend entries, each panel's plot width, the stroke of each
/// series value in every panel, tick counts; and the SVG and PNG files --images writes.
/// </summary>
[Collection("esp-script")]
public sealed class FigurePageTests : IClassFixture<FigurePageTests.Pages>
{
    public sealed class Pages : IDisposable
    {
        public Scratch Scratch { get; } = new();
        public string Spikes { get; }
        public string Grid { get; }
        public (int Code, string Out, string Err, ScriptRunner.Outcome Outcome) SpikesRun { get; }
        public (int Code, string Out, string Err, ScriptRunner.Outcome Outcome) GridRun { get; }

        public Pages()
        {
            Spikes = Path.Combine(Scratch.Folder, "adam_spikes");
            SpikesRun = Scratch.Run(Path.Combine(Repository.Root, "experiments", "adam_spikes.csx"), Spikes, quick: true);
            Grid = Path.Combine(Scratch.Folder, "grid");
            GridRun = Scratch.Run(Scratch.Write("grid.csx", """
                // two models x two dropouts x two batch sizes on a slice of Fashion-MNIST, two seeds
                var data = new FashionMnist(TrainExamples: 512, ValidationExamples: 256);
                var runs = Run(from model in new Model[] { new Mlp(784, [64], 10), new LeNet() }
                               from dropout in new[] { 0.0, 0.3 }
                               from batch in new[] { 32, 64 }
                               from seed in new[] { 0, 1 }
                               select new Experiment(new Network(model switch { Mlp m => m with { Dropout = dropout }, LeNet l => l with { Dropout = dropout }, _ => model }, data),
                                                     new Adam(Lr: 1e-3), Sampler.Shuffle, Epochs: 4, BatchSize: batch, Seed: seed));
                Plot.Loss(runs, plotEvery: 2, panels: "model_kind", rows: "dropout", series: "batch_size")
                    .And(Plot.Epochs(runs, "val_loss", series: "model_kind", panels: "batch_size"))
                    .Save("grid", images: true);
                """), Grid);
        }

        public void Dispose() => Scratch.Dispose();
    }

    readonly Pages pages;

    public FigurePageTests(Pages pages)
    {
        this.pages = pages;
        Assert.True(pages.SpikesRun.Code == 0, pages.SpikesRun.Err);
        Assert.True(pages.GridRun.Code == 0, pages.GridRun.Err);
    }

    sealed record Trace(string Name, string Axis, string? Stroke, string? Width, string? Fill);
    sealed record Panel(string Id, double Width, int XTicks, int YTicks);
    sealed record Drawn(string[] Legend, Panel[] Panels, Trace[] Traces, string[] Titles);

    const string Measure = """
        <script>
        window.addEventListener("load", () => {
          const drawings = [...document.querySelectorAll(".esp-drawing")].map(gd => ({
            legend: [...gd.querySelectorAll(".legend .legendtext")].map(t => t.textContent),
            panels: [...gd.querySelectorAll(".cartesianlayer > g.subplot")].map(s => ({
              id: s.classList[1],
              width: +gd.querySelector(".draglayer > g." + s.classList[1] + " > rect.nsewdrag").getAttribute("width"),
              xTicks: 0, yTicks: 0 })),
            traces: [...gd.querySelectorAll("g.trace.scatter")].map(g => ({
              name: g.__data__[0].trace.name, axis: g.__data__[0].trace.xaxis,
              stroke: g.querySelector(".js-line")?.style.stroke ?? null, width: g.querySelector(".js-line")?.style.strokeWidth ?? null,
              fill: g.querySelector(".js-fill")?.style.fill ?? null })),
            titles: [...gd.querySelectorAll(".annotation-text")].map(t => t.textContent),
          }));
          for (const d of drawings)
            for (const p of d.panels) {
              const x = p.id.replace(/y\d*$/, ""), y = p.id.slice(x.length);
              p.xTicks = gd(d).querySelectorAll("g.xaxislayer-above > g." + x + "tick").length;
              p.yTicks = gd(d).querySelectorAll("g.yaxislayer-above > g." + y + "tick").length;
            }
          function gd(d) { return document.querySelectorAll(".esp-drawing")[drawings.indexOf(d)]; }
          const out = document.createElement("pre");
          out.id = "esp-measure";
          out.textContent = JSON.stringify(drawings);
          document.body.appendChild(out);
        });
        </script>
        """;

    static Drawn[] Draw(string page)
    {
        var copy = Path.Combine(Path.GetDirectoryName(page)!, "measured.html");
        File.WriteAllText(copy, File.ReadAllText(page).Replace("</body>", Measure + "</body>", StringComparison.Ordinal));
        var dom = HeadlessChromium.DumpDom(copy, width: 1400);
        File.Delete(copy);
        var json = Regex.Match(dom, "<pre id=\"esp-measure\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(json.Success, "the page's drawings did not finish in Chromium");
        return JsonSerializer.Deserialize<Drawn[]>(WebUtility.HtmlDecode(json.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    static void EachSeriesValueHasOneStrokeInEveryPanel(Drawn drawn, int panels)
    {
        var lines = drawn.Traces.Where(t => t.Stroke is not null && t.Width != "0px").ToList(); // a band's edges are not drawn
        Assert.All(lines.Where(t => t.Fill is not null), t => Assert.Equal(t.Stroke, t.Fill)); // a band is its line's colour
        foreach (var series in lines.Where(t => drawn.Legend.Contains(t.Name)).GroupBy(t => t.Name))
        {
            Assert.Equal(panels, series.Select(t => t.Axis).Distinct().Count());
            Assert.Single(series.Select(t => t.Stroke).Distinct());
        }
    }

    [Fact]
    public void The_mixed_optimizer_grid_draws_two_wide_panels_and_one_short_legend()
    {
        var drawn = Assert.Single(Draw(Path.Combine(pages.Spikes, "adam_spikes.html")));

        Assert.Equal(["drop_last = False", "drop_last = True"], drawn.Legend); // before: one entry per setting of either optimizer
        Assert.Equal(["optimizer = adam, lr = 0.001", "optimizer = sgd, lr = 0.01"], drawn.Titles);
        Assert.Equal(2, drawn.Panels.Length);
        Assert.All(drawn.Panels, p => Assert.True(p.Width > 450, $"panel {p.Id} is {p.Width} px wide")); // before: about 60 px
        Assert.All(drawn.Panels, p => Assert.InRange(p.XTicks, 4, 12)); // before: 60 epochs at one tick each
        Assert.All(drawn.Panels, p => Assert.InRange(p.YTicks, 3, 12));
        EachSeriesValueHasOneStrokeInEveryPanel(drawn, panels: 2);
        Assert.NotEqual(drawn.Traces.First(t => t.Name == "drop_last = False").Stroke, drawn.Traces.First(t => t.Name == "drop_last = True").Stroke);
    }

    [Fact]
    public void The_network_grid_draws_a_panel_per_model_and_dropout_with_one_colour_per_batch_size()
    {
        var drawn = Draw(Path.Combine(pages.Grid, "grid.html"));
        Assert.Equal(2, drawn.Length);

        var loss = drawn[0];
        Assert.Equal(["batch_size = 32", "batch_size = 64"], loss.Legend);
        Assert.Equal(4, loss.Panels.Length); // model_kind across, dropout down
        Assert.Equal(["dropout = 0, model_kind = mlp, layers = 784-64-10", "dropout = 0, model_kind = lenet, layers = c6-c16-120-84-10",
                      "dropout = 0.3, model_kind = mlp, layers = 784-64-10", "dropout = 0.3, model_kind = lenet, layers = c6-c16-120-84-10"], loss.Titles);
        Assert.All(loss.Panels, p => Assert.True(p.Width > 450, $"panel {p.Id} is {p.Width} px wide"));
        EachSeriesValueHasOneStrokeInEveryPanel(loss, panels: 4);

        var validation = drawn[1];
        Assert.Equal(["model_kind = mlp, layers = 784-64-10, dropout = 0", "model_kind = mlp, layers = 784-64-10, dropout = 0.3",
                      "model_kind = lenet, layers = c6-c16-120-84-10, dropout = 0", "model_kind = lenet, layers = c6-c16-120-84-10, dropout = 0.3"],
            validation.Legend); // grouped over seeds, not "(run 0)" ... "(run 15)"; never d or the model's label
        Assert.All(validation.Legend.Concat(loss.Legend), e => Assert.True(e.Length <= 60, e));
        EachSeriesValueHasOneStrokeInEveryPanel(validation, panels: 2);
        // the page's other figure drew batch sizes: its colours are theirs alone
        Assert.Empty(validation.Traces.Select(t => t.Stroke).Intersect(loss.Traces.Select(t => t.Stroke)).OfType<string>());
    }

    [Fact]
    public void Images_are_the_page_s_drawings_as_svg_and_png()
    {
        foreach (var k in new[] { 1, 2 })
        {
            var svg = File.ReadAllText(Path.Combine(pages.Grid, $"grid-{k}.svg"));
            Assert.StartsWith("<svg", svg);
            Assert.Contains("batch_size = 32", k == 1 ? svg : "batch_size = 32");
            var png = File.ReadAllBytes(Path.Combine(pages.Grid, $"grid-{k}.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
            Assert.InRange(width, 2 * 1200, 2 * 1400); // the page's width at scale 2
        }
        Assert.Contains("model_kind = lenet", File.ReadAllText(Path.Combine(pages.Grid, "grid-2.svg")));
        Assert.False(File.Exists(Path.Combine(pages.Spikes, "adam_spikes.svg")), "images only when asked");
    }
}
