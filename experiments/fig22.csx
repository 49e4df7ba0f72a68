// Paper figure 22: smaller beta2 strengthens ESP, larger eps weakens it.
// beta2 in {0.999, 0.9, 0.8, 0.79, 0.78, 0.7} at eps 1e-8 and 1e-5 (the paper ran both), and eps in
// {1e-8, 1e-5, 1e-4, 1e-2, 1e-1} at beta2 = 0.8. beta2 = 0.7 at eps = 1e-8 explodes on this problem (its loss
// passes 100x its start but stays finite): it is marked exploded, said when, and left out of the loss panels and means.
#load "paper.csx"
var betaGrid = from eps in new[] { 1e-8, 1e-5 }
               from beta2 in new[] { 0.999, 0.9, 0.8, 0.79, 0.78, 0.7 }
               select Paper(new Adam(Beta2: beta2, Eps: eps));
var epsGrid = from eps in new[] { 1e-4, 1e-2, 1e-1 }
              select Paper(new Adam(Beta2: 0.8, Eps: eps));
var runs = Run(betaGrid.Concat(epsGrid));

var finished = runs.Where(r => r.Status == RunStatus.Completed);
Plot.Loss(finished, plotEvery: 10, panels: "eps", series: "beta2", title: "Figure 22: beta2 and eps", shareY: false)
    .And(Plot.Metric(runs, x: "beta2", series: "eps", title: "sawtooth index against beta2"))
    .And(Plot.Metric(runs.Where(r => ((Adam)r.Experiment.Optimizer).Beta2 == 0.8),
                     x: "eps", logX: true, title: "sawtooth index against eps at beta2 = 0.8"))
    .Save("fig22");
Report.Summary(runs);
