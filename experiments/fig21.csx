// Paper figure 21: RMSProp (the paper's form, no bias correction), beta 0.99 vs 0.8, lr 0.06, with and without
// shuffling. The sawtooth is much subtler than Adam's; without shuffling there is none. Adam at beta2 0.8 with
// shuffling is run alongside as the reference.
#load "paper.csx"
var grid = (from sampler in new[] { Sampler.Shuffle, Sampler.Sequential }
            from beta in new[] { 0.99, 0.8 }
            select Paper(new RmsProp(Lr: 0.06, Beta: beta), sampler))
           .Append(Paper(new Adam(Beta2: 0.8)));
var runs = Run(grid);
Plot.Loss(runs, plotEvery: 10, panels: "sampler", series: "optimizer", title: "Figure 21: RMSProp, beta 0.99 vs 0.8").Save("fig21");
Report.Summary(runs);
