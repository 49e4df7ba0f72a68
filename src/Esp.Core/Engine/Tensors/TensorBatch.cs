using System.Diagnostics;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Runs a batch of experiments as one TorchSharp computation with a leading run dimension: x, m, v and the
/// gradients are [R, D], the coefficients and each epoch's visiting orders [R, N], hyperparameters [R, 1].
/// On a GPU each step is a handful of kernels over the whole batch and nothing is read back until the epoch
/// ends. Every step's temporaries live in a DisposeScope that ends with the step; x and the optimizer state
/// are updated in place, so memory stays flat however long the runs. The runs must share what
/// <see cref="BatchPlan"/> groups them by (sizes, steps, optimizer kernel, probes); each keeps its own seed,
/// sampler, schedule and hyperparameters, so its numbers are those it would have alone.
/// </summary>
static class TensorBatch
{
    public static RunRecord[] Execute(IReadOnlyList<(int Run, Experiment X)> batch, Action<string> log, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var first = batch[0].X;
        var p = first.Recorded;
        int runs = batch.Count, n = first.Problem.N, d = first.Problem.D;
        var device = TorchRuntime.DeviceOf(first.Device);
        var type = TorchRuntime.TypeOf(first.Problem.Precision);
        var logs = batch.Select(b => new RunLog(b.X)).ToArray();
        var columns = logs[0].Columns;
        var orders = batch.Select(b => new SampleOrder(b.X.Sampler, n, b.X.BatchSize, Rng.For(b.X.Seed, "sampler"))).ToArray();
        var stoppedAt = new int?[runs]; // steps taken by a run that diverged

        using var runScope = NewDisposeScope();
        var data = batch.Select(b => QuadraticData.Draw(b.X.Problem, b.X.Seed)).ToArray();
        Tensor Coefficients(Func<QuadraticData, double[]> of) =>
            tensor(data.SelectMany(of).ToArray(), [runs, n], dtype: type, device: device);
        var (a, b, c) = (Coefficients(q => q.A), Coefficients(q => q.B), Coefficients(q => q.C));
        var dim = tensor(data.SelectMany(q => q.Dim.Select(i => (long)i)).ToArray(), [runs, n], device: device);
        var theta = tensor(batch.Select(r => r.X.Problem.X0).ToArray(), [runs, 1], dtype: type, device: device)
            .expand(runs, d).contiguous();
        using var constants = new Scalars();
        var one = constants[1];
        var allFunctions = new BatchSlice(a, b, c, dim);
        using var state = first.Optimizer.InitRuns(batch.Select(r => r.X.Optimizer).ToList(), theta);

        int t = 0;
        for (int epoch = 0; epoch < first.Epochs; epoch++)
        {
            using var epochScope = NewDisposeScope();
            var epochData = EpochData.Gather(orders.Select(o => o.NextEpoch(epoch)).ToArray(), a, b, c, dim);
            if (p.BatchLossesAtEpochStart.Contains(epoch))
                foreach (var (losses, r) in epochData.EveryBatchLoss(theta).Select((l, r) => (l, r)).Where(e => stoppedAt[e.r] is null))
                    logs[r].AddBatchLosses(epoch, losses);

            // The epoch's per-step values stay on the device, [column, step, run], and are read back once.
            var recorded = full([columns.Names.Count, epochData.Count, runs], double.NaN, ScalarType.Float64, device);
            int epochStart = t;
            for (int s = 0; s < epochData.Count; s++, t++)
            {
                cancel.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                var lr = batch.Select(r => r.X.Optimizer.Lr * r.X.LrSchedule.Factor(t, r.X.TotalSteps)).ToArray();
                for (int r = 0; r < runs; r++) logs[r].Set(columns.Lr, t, lr[r]);
                void Record(int column, Tensor? perRun)
                {
                    if (column >= 0 && perRun is not null) recorded[column][s].copy_(perRun);
                }

                var (loss, grad) = epochData.Batch(s).LossAndGrad(theta);
                var tracked = p.TrackedBatch is int tb ? epochData.Batch(tb - 1) : null;
                var trackedGrad = tracked?.LossAndGrad(theta);
                var delta = state.Step(grad, theta, lr);
                theta.add_(delta, alpha: one);

                Record(columns.Loss, loss);
                if (p.GradNorm) Record(columns.GradNorm, linalg.vector_norm(grad, dims: [1]));
                if (p.MomentNorms)
                {
                    Record(columns.MNorm, state.M is { } m ? linalg.vector_norm(m, dims: [1]) : null);
                    Record(columns.VNorm, state.V is { } v ? linalg.vector_norm(v, dims: [1]) : null);
                }
                if (p.StepNorm) Record(columns.StepNorm, linalg.vector_norm(delta, dims: [1]));
                if (tracked != null && trackedGrad is var (trackedLoss, gb))
                {
                    Record(columns.TrackedBefore, trackedLoss);
                    Record(columns.TrackedAfter, tracked.Loss(theta));
                    Record(columns.GDotTracked, grad.mul(gb).sum([1]));
                    Record(columns.MDotTracked, state.M?.mul(gb).sum([1]));
                    Record(columns.StepDotTracked, delta.mul(gb).sum([1]));
                }
                for (int k = 0; k < p.Coordinates.Count; k++)
                {
                    Record(columns.MCoordinate[k], state.M?.select(1, p.Coordinates[k]));
                    Record(columns.VCoordinate[k], state.V?.select(1, p.Coordinates[k]));
                }
            }
            ReadBack(recorded, epochStart, epoch);
            if (stoppedAt.All(steps => steps is not null)) break; // every run has diverged
            if (p.EpochEndFullLoss)
            {
                var fullLoss = allFunctions.Loss(theta).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                for (int r = 0; r < runs; r++)
                    if (stoppedAt[r] is null) logs[r].AddFullLoss(fullLoss[r]);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds / runs; // each run's share of the batch's time
        return batch.Select((r, i) => stoppedAt[i] is int steps
            ? logs[i].Finish(r.Run, r.X, RunStatus.Diverged, DivergenceOf(i, steps - 1), steps, seconds)
            : logs[i].Finish(r.Run, r.X, RunStatus.Completed, "", t, seconds)).ToArray();

        // Copies the epoch's values into each run's log and stops a run at its first NaN/Inf loss.
        void ReadBack(Tensor recorded, int epochStart, int epoch)
        {
            var host = recorded.cpu().data<double>().ToArray();
            int steps = (int)recorded.shape[1];
            for (int r = 0; r < runs; r++)
            {
                if (stoppedAt[r] is not null) continue;
                for (int s = 0; s < steps; s++)
                {
                    for (int column = 0; column < columns.Names.Count; column++)
                        if (column != columns.Lr) logs[r].Set(column, epochStart + s, host[(column * steps + s) * runs + r]);
                    if (double.IsFinite(logs[r].Get(columns.Loss, epochStart + s))) continue;
                    stoppedAt[r] = epochStart + s + 1;
                    log(DivergenceOf(r, epochStart + s));
                    break;
                }
            }
        }

        string DivergenceOf(int r, int step) => DivergenceMessage.For(batch[r].Run, batch[r].X, step / batch[r].X.StepsPerEpoch,
            step % batch[r].X.StepsPerEpoch, step, logs[r].Get(columns.Loss, step));
    }
}
