// Paper figure 2: BERT pre-training (masked LM + next sentence) shows the Epochal Sawtooth. Reshuffled every epoch
// against a fixed order (Sequential, the control), at beta2 0.999 (the paper's) and 0.8; one run each.
// The preset, corpus and their reasons are in bert_setup.csx: --preset cpu (default, minutes on two cores), tiny or
// small (the paper's sizes, for a GPU: --device cuda); --corpus fortunes (default) or a WikiText raw folder.
// Run: dotnet esp-script experiments/fig2.csx      (--quick: 160 pairs, 4 epochs; esp.csv holds the metrics)
#load "bert_setup.csx"
var preset = Preset();
var corpus = Corpus();
var problem = preset.Problem(corpus);
Console.WriteLine($"{problem.Model.Label}; {problem.DataSummary()}");

var runs = Run(from sampler in new[] { Sampler.Shuffle, Sampler.Sequential }
               from beta2 in new[] { 0.999, 0.8 }
               select preset.Experiment(corpus, sampler, beta2: beta2, seed: Args.Seed));

BertFigures(runs, preset, "Figure 2", panels: "beta2", series: "sampler").Save("fig2");
ReportEsp(runs, "esp.csv", "sampler", "beta2");
