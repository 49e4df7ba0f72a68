// Shared by fig2.csx and bert_ablations.csx (#load "bert_setup.csx"): the BERT presets, the corpus option, the
// paper-style figures and the ESP metrics of the masked-LM and next-sentence training losses. Not a script of its own.
//
// Presets (--preset):
//   cpu   (default) BERT-tiny's shape at half its width (hidden 128, FFN 256, 2 heads, 2 blocks, dropout 0.1),
//         max length 64, vocabulary 5 000; 800 training pairs, batch 32 (25 steps an epoch), 30 epochs, Adam lr 1e-3.
//         Why: the paper's runs are 40 000+ steps and reach the regime where the model memorises its training pairs,
//         where the sawtooth shows; a CPU run must reach it in hundreds of steps, so it trains on few pairs at a
//         10x learning rate. plot_every 5 (a fifth of an epoch: the paper's 50 of 1 323 steps would hide the epoch).
//   tiny  the paper's BERT-tiny unchanged: hidden 256, FFN 512, 2 heads, 2 blocks, dropout 0.1, max length 90,
//         vocabulary 30 000, all pairs, batch 32, 30 epochs, lr 1e-4, plot_every 50, smoothing 0.75 (for a GPU).
//   small the paper's BERT-small: hidden 768, FFN 1024, 6 heads, 6 blocks, dropout 0.2, batch 128, 60 epochs,
//         plot_every 500, smoothing 1 (for a GPU).
// All: Adam betas 0.9/0.999, weight decay 1e-5 (coupled, torch.optim's), reshuffled every epoch, last partial batch
// dropped (the paper's loader); validation on the first 128 held-out pairs (tiny/small: 256) every plot_every steps.
// --corpus fortunes (default; Debian's fortunes package) or the folder of WikiText's raw files (wiki.train.tokens).

record BertPreset(Bert Model, int? TrainPairs, int BatchSize, int Epochs, int PlotEvery, double Smoothing, double Lr, int ValidationPairs,
                  string Device)
{
    public BertPretraining Problem(TextCorpus corpus) =>
        new(Model, corpus, TrainPairs: TrainPairs, ValidationPairs: ValidationPairs, PlotEvery: PlotEvery);

    public Experiment Experiment(TextCorpus corpus, Sampler sampler, double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 1e-5, int seed = 0) =>
        new(Problem(corpus), new Adam(Lr: Lr, Beta1: beta1, Beta2: beta2, WeightDecay: weightDecay), sampler with { DropLast = true },
            Epochs: Epochs, BatchSize: BatchSize, Seed: seed, Device: Device);
}

BertPreset Preset()
{
    var name = Args.Get("preset", "cpu");
    var device = Args.Get("device", "cpu");
    return name switch
    {
        "cpu" => Args.Quick ? new BertPreset(Bert.Cpu, 160, 32, 4, 5, 1, 1e-3, 32, device)
                            : new BertPreset(Bert.Cpu, 800, 32, 30, 5, 1, 1e-3, 128, device),
        "tiny" => new BertPreset(Bert.Tiny, null, 32, 30, 50, 0.75, 1e-4, 256, device),
        "small" => new BertPreset(Bert.Small, null, 128, 60, 500, 1, 1e-4, 256, device),
        _ => throw new ArgumentException($"--preset must be cpu, tiny or small, got \"{name}\": cpu runs in minutes on two cores, tiny and small are the paper's sizes (for a GPU: --device cuda)"),
    };
}

TextCorpus Corpus()
{
    var corpus = Args.Get("corpus", "fortunes");
    return corpus == "fortunes" ? new Fortunes() : new WikiText(corpus);
}

// The paper's panels: masked-LM and next-sentence loss, training (plot_every means, smoothed) and validation.
Figure BertFigures(Results runs, BertPreset preset, string title, string panels, string series) =>
    Plot.Lines(runs, "mlm_loss", preset.PlotEvery, panels, series, $"{title}: masked-LM training loss (plot_every {preset.PlotEvery})", smoothing: preset.Smoothing)
        .And(Plot.Lines(runs, "nsp_loss", preset.PlotEvery, panels, series, $"{title}: next-sentence training loss", smoothing: preset.Smoothing))
        .And(Plot.Lines(runs, "val_mlm_loss", preset.PlotEvery, panels, series, $"{title}: masked-LM validation loss"))
        .And(Plot.Lines(runs, "val_nsp_loss", preset.PlotEvery, panels, series, $"{title}: next-sentence validation loss"))
        .And(Plot.Lines(runs, "val_mlm_accuracy", preset.PlotEvery, panels, series, $"{title}: masked-LM validation accuracy"));

// Per run: the ESP metrics of the masked-LM and next-sentence training losses (runs.csv's are of their sum) and the
// last validation numbers; printed, and saved as <file> (e.g. esp.csv).
void ReportEsp(Results runs, string file, params string[] settings)
{
    double Last(RunRecord r, string column) => r.Column(column).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Last();
    var rows = runs.RunRecords.Select(r =>
    {
        var (mlm, nsp) = (EspMetrics.Of(r.Column("mlm_loss"), r.Experiment.StepsPerEpoch), EspMetrics.Of(r.Column("nsp_loss"), r.Experiment.StepsPerEpoch));
        return (Run: r, Values: new (string, double)[]
        {
            ("mlm_sawtooth_index", mlm.SawtoothIndex), ("mlm_rise_index", mlm.RiseIndex), ("mlm_amplitude", mlm.Amplitude),
            ("mlm_final_loss", EspMetrics.FinalLoss(r.Column("mlm_loss"), r.Experiment.StepsPerEpoch)),
            ("nsp_sawtooth_index", nsp.SawtoothIndex), ("nsp_rise_index", nsp.RiseIndex), ("nsp_amplitude", nsp.Amplitude),
            ("nsp_final_loss", EspMetrics.FinalLoss(r.Column("nsp_loss"), r.Experiment.StepsPerEpoch)),
            ("val_mlm_loss", Last(r, "val_mlm_loss")), ("val_nsp_loss", Last(r, "val_nsp_loss")),
            ("val_mlm_accuracy", Last(r, "val_mlm_accuracy")), ("val_nsp_accuracy", Last(r, "val_nsp_accuracy")),
        });
    }).ToList();
    var keys = Enumerable.Range(0, rows.Count).ToArray();
    var frame = Frame.FromColumns(new Dictionary<string, Series<int, int>> { ["run"] = new(keys, rows.Select(r => r.Run.Run)) });
    foreach (var setting in settings) frame.AddColumn(setting, new Series<int, string>(keys, rows.Select(r => r.Run.Setting(setting) ?? "")));
    foreach (var (name, _) in rows[0].Values) frame.AddColumn(name, new Series<int, double>(keys, rows.Select(r => r.Values.First(v => v.Item1 == name).Item2)));
    Csv.Save(frame, file);

    Console.WriteLine(string.Join(" ", settings.Select(s => $"{s,-9}")) + "  masked-LM: sawtooth  rise    amplitude final  | next-sentence: sawtooth  rise    final  | validation: mlm loss  mlm acc  nsp acc  | seconds");
    foreach (var (r, v) in rows)
    {
        double V(string name) => v.First(e => e.Item1 == name).Item2;
        Console.WriteLine(string.Join(" ", settings.Select(s => $"{r.Setting(s),-9}")) +
            $"  {V("mlm_sawtooth_index"),18:F3} {V("mlm_rise_index"),7:F3} {V("mlm_amplitude"),9:F3} {V("mlm_final_loss"),6:F3} |" +
            $" {V("nsp_sawtooth_index"),23:F3} {V("nsp_rise_index"),7:F3} {V("nsp_final_loss"),6:F3} |" +
            $" {V("val_mlm_loss"),20:F3} {V("val_mlm_accuracy"),8:F3} {V("val_nsp_accuracy"),8:F3} | {r.Seconds,7:F0}");
    }
}
