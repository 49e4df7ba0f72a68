// Paper figure 17: <dtheta_t, grad l^b_t> over epoch 4 for b = 100, and l^b_t before vs after each update.
// A positive <dtheta, grad l^b> means the step raises l^b to first order: the creep of the sawtooth.
#load "tracked.csx"
var runs = TrackedRuns();
Epoch4(runs, "step_dot_tracked", "Figure 17: <dtheta_t, grad l^b_t> over epoch 4, b = 100").Save("fig17");
PrintTrackedClaims(runs);
