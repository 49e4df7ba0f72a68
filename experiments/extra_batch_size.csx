// Extra figure of the paper's repository: batch 100 vs 200 (50 steps per epoch). A larger batch weakens ESP.
#load "paper.csx"
var runs = Run(from beta2 in new[] { 0.999, 0.8 }
               from scale in new[] { 1, 2 }
               select Paper(new Adam(Beta2: beta2), batchScale: scale));
Plot.Loss(runs, plotEvery: 5, panels: "beta2", series: "batch_size", title: "Batch size 100 vs 200").Save("extra_batch_size");
Report.Summary(runs);
