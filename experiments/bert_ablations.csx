// The paper repository's BERT ablations, on the CPU preset (bert_setup.csx; --preset tiny runs them at the paper's
// size), reshuffled every epoch, one run each; --ablation picks one group (default all, the base run shared):
//   size          hidden/FFN 64/128, 128/256 (the preset), 256/512 (BERT-tiny's width), at 2 heads and 2 blocks
//                 (paper: bigger, stronger ESP)
//   plot_every    5 vs 20 (the paper's 50 vs 200 at a quarter of an epoch's scale; paper: larger weakens the picture).
//                 plot_every only averages the plotted curve (and sets when validation runs): the training is the
//                 same, so the measure is the amplitude of the plotted curve, plotted_amplitude
//   batch         batch 32 with plot_every 5 vs batch 128 with plot_every 1 (the paper's 32/50 vs 128/12; paper: larger
//                 batch weakens it)
//   weight_decay  1e-5 vs 1e-4 (paper, on BERT-small: a small effect)
//   beta1         0.9, 0.5, 0 at beta2 0.999 (paper: no visible effect)
//   beta2         0.999 vs 0.8 (paper: smaller beta2, stronger and concave-up rise within the epoch)
// Run: dotnet esp-script experiments/bert_ablations.csx [--ablation size]      (--quick: 160 pairs, 4 epochs)
#load "bert_setup.csx"
var preset = Preset();
var corpus = Corpus();
var ablation = Args.Get("ablation", "all");
string[] groups = ["size", "plot_every", "batch", "weight_decay", "beta1", "beta2"];
if (ablation != "all" && !groups.Contains(ablation))
    throw new ArgumentException($"--ablation must be all or one of {string.Join(", ", groups)}, got \"{ablation}\"");

Experiment Base(BertPreset p, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 1e-5) =>
    p.Experiment(corpus, Sampler.Shuffle, beta1, beta2, weightDecay, Args.Seed);
var grids = new Dictionary<string, (string Setting, Experiment[] Runs)>
{
    ["size"] = ("model", new[] { 64, 128, 256 }.Select(h => Base(preset with { Model = preset.Model with { Hidden = h, Ffn = 2 * h } })).ToArray()),
    ["plot_every"] = ("plot_every", new[] { preset.PlotEvery, 4 * preset.PlotEvery }.Select(pe => Base(preset with { PlotEvery = pe })).ToArray()),
    ["batch"] = ("batch_size", [Base(preset), Base(preset with { BatchSize = 4 * preset.BatchSize, PlotEvery = Math.Max(1, preset.PlotEvery / 4) })]),
    ["weight_decay"] = ("weight_decay", [Base(preset), Base(preset, weightDecay: 1e-4)]),
    ["beta1"] = ("beta1", new[] { 0.9, 0.5, 0 }.Select(b1 => Base(preset, beta1: b1)).ToArray()),
    ["beta2"] = ("beta2", [Base(preset), Base(preset, beta2: 0.8)]),
};
var chosen = ablation == "all" ? groups : [ablation];
Console.WriteLine($"{preset.Model.Label}; {preset.Problem(corpus).DataSummary()}");
var all = Run(chosen.SelectMany(g => grids[g].Runs).Distinct());

Figure? page = null;
foreach (var g in chosen)
{
    var (setting, experiments) = grids[g];
    var runs = all.Where(r => experiments.Contains(r.Experiment));
    Console.WriteLine($"\n{g}:");
    ReportEsp(runs, $"esp_{g}.csv", setting);
    var figure = Plot.Lines(runs, "mlm_loss", preset.PlotEvery, series: setting, title: $"{g}: masked-LM training loss (plot_every {preset.PlotEvery})", smoothing: preset.Smoothing)
        .And(Plot.Lines(runs, "nsp_loss", preset.PlotEvery, series: setting, title: $"{g}: next-sentence training loss", smoothing: preset.Smoothing));
    page = page is null ? figure : page.And(figure);
}
page!.Save("bert_ablations");

// plot_every changes the picture, not the training: the amplitude of each run's plotted masked-LM curve (median over
// epochs 2.. of the within-epoch range of its plot_every means, over the epoch's mean).
if (chosen.Contains("plot_every"))
    foreach (var r in all.RunRecords.Where(r => grids["plot_every"].Runs.Contains(r.Experiment)))
    {
        int every = ((BertPretraining)r.Experiment.Problem).PlotEvery, perEpoch = r.Experiment.StepsPerEpoch;
        var mlm = r.Column("mlm_loss");
        var amplitude = Enumerable.Range(2, mlm.Length / perEpoch - 2).Select(e =>
        {
            var means = Smoothing.PlotEvery(mlm[(e * perEpoch)..((e + 1) * perEpoch)], every);
            return (means.Max() - means.Min()) / means.Average();
        }).Order().ToArray();
        Console.WriteLine($"plot_every {every}: plotted_amplitude {amplitude[amplitude.Length / 2]:F3}");
    }
