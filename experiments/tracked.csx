// Shared by figures 13, 14 and 17: Adam with the last batch of every epoch (b = 100) tracked, and a figure
// of one tracked column over epoch 4 with l^b before and after each update.
#load "paper.csx"
const int TrackedBatch = 100;

Results TrackedRuns() => Run(new[] { 0.999, 0.8 }.Select(b2 =>
    Paper(new Adam(Beta2: b2), probes: new Probes(TrackedBatch: TrackedBatch))));

Figure Epoch4(Results runs, string column, string title)
{
    int s = runs.RunRecords[0].Experiment.StepsPerEpoch;
    var steps = Enumerable.Range(0, s).Select(i => (double)i).ToArray();
    var byBeta = runs.RunRecords.Select(r => new Curve($"beta2 = {Beta2Of(r)}", steps, InEpoch(r, column, 4)));
    var lossOfB = runs.RunRecords.SelectMany(r => new[]
    {
        new Curve($"l^b before, beta2 = {Beta2Of(r)}", steps, InEpoch(r, "tracked_loss_before", 4)),
        new Curve($"l^b after, beta2 = {Beta2Of(r)}", steps, InEpoch(r, "tracked_loss_after", 4)),
    });
    return Charts.Lines(title, "step t in epoch 4", column, byBeta)
        .And(Charts.Lines($"l^b_t before and after each update, epoch 4, b = {TrackedBatch}", "step t in epoch 4", "l^b", lossOfB));
}

/// Before batch b is visited, the other batches' updates raise l^b (ESP's creep); the step on b drops it.
void PrintTrackedClaims(Results runs)
{
    foreach (var r in runs.RunRecords)
    {
        var before = InEpoch(r, "tracked_loss_before", 4);
        var after = InEpoch(r, "tracked_loss_after", 4);
        var stepDot = InEpoch(r, "step_dot_tracked", 4);
        int b = TrackedBatch - 1;
        Console.WriteLine($"beta2 {Beta2Of(r)}: l^b goes from {before[0]:F4} to {before[b]:F4} over epoch 4 before b is visited " +
                          $"(mean <dtheta, grad l^b> = {stepDot[..b].Average():E3}); the step on b takes it to {after[b]:F4}");
    }
}
