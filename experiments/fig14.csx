// Paper figure 14: <m_t, grad l^b_t> over epoch 4 for b = 100.
#load "tracked.csx"
var runs = TrackedRuns();
Epoch4(runs, "m_dot_tracked", "Figure 14: <m_t, grad l^b_t> over epoch 4, b = 100").Save("fig14");
foreach (var r in runs.RunRecords)
{
    var dots = InEpoch(r, "m_dot_tracked", 4);
    Console.WriteLine($"beta2 {Beta2Of(r)}: <m_t, grad l^b_t> before b: mean {dots[..(TrackedBatch - 1)].Average():E3}; at t = b: {dots[TrackedBatch - 1]:E3}");
}
PrintTrackedClaims(runs);
