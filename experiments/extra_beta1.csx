// Extra figure of the paper's repository: beta1 0.9 vs 0.1 (Adam, shuffle). On this problem a smaller beta1 weakens ESP.
#load "paper.csx"
var runs = Run(from beta2 in new[] { 0.999, 0.8 }
               from beta1 in new[] { 0.9, 0.1 }
               select Paper(new Adam(Beta1: beta1, Beta2: beta2)));
Plot.Loss(runs, plotEvery: 10, panels: "beta2", series: "beta1", title: "beta1 0.9 vs 0.1").Save("extra_beta1");
Report.Summary(runs);
