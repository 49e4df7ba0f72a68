using System.Diagnostics;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Runs a batch of experiments as one TorchSharp computation with a leading run dimension: theta, m, v and the
/// gradients are [R, D], hyperparameters [R, 1]; what the loss is comes from the problem (<see cref="ITensorProblem"/>:
/// the quadratic problem batches many runs, a network is a batch of one). On a GPU each step is a handful of
/// kernels over the whole batch and nothing is read back until the epoch ends. Every step's temporaries live in a
/// DisposeScope that ends with the step; theta and the optimizer state are updated in place, so memory stays flat
/// however long the runs. The runs must share what <see cref="BatchPlan"/> groups them by; each keeps its own
/// seed, sampler, schedule and hyperparameters, so its numbers are those it would have alone.
/// </summary>
sealed class TensorBatch
{
    readonly IReadOnlyList<(int Run, Experiment X)> batch;
    readonly Action<string> log;
    readonly RunLog[] logs;
    readonly StepColumns columns;
    readonly Probes probes;
    readonly int?[] stoppedAt; // steps taken by a run that diverged
    readonly int runs;

    TensorBatch(IReadOnlyList<(int Run, Experiment X)> batch, Action<string> log)
    {
        (this.batch, this.log, runs) = (batch, log, batch.Count);
        logs = batch.Select(b => new RunLog(b.X)).ToArray();
        columns = logs[0].Columns;
        probes = batch[0].X.Recorded;
        stoppedAt = new int?[runs];
    }

    /// <summary>Runs the batch; with <paramref name="options"/>' CheckpointEvery it saves its state every K epochs and
    /// at the end, and with Resume continues from a saved state.</summary>
    public static RunRecord[] Execute(IReadOnlyList<(int Run, Experiment X)> batch, Action<string> log, CancellationToken cancel = default,
        EngineOptions? options = null, Action<StepsDone>? steps = null) =>
        new TensorBatch(batch, log).Execute(cancel, options ?? EngineOptions.Default, steps);

    RunRecord[] Execute(CancellationToken cancel, EngineOptions options, Action<StepsDone>? steps)
    {
        var clock = Stopwatch.StartNew();
        var first = batch[0].X;
        var device = TorchRuntime.DeviceOf(first.Device);
        var orders = batch.Select(b => new SampleOrder(b.X.Sampler, b.X.Problem.Examples, b.X.BatchSize, Rng.For(b.X.Seed, "sampler"))).ToArray();

        using var runScope = NewDisposeScope();
        using var problem = first.Problem.Tensors(batch.Select(b => b.X).ToList(), device, TorchRuntime.TypeOf(first.Problem.ElementPrecision));
        var theta = problem.InitialTheta();
        using var state = first.Optimizer.InitRuns(batch.Select(r => r.X.Optimizer).ToList(), theta, problem.DecayMask);
        int? intraOpThreads = first.Device == "cpu" ? options.IntraOpThreads : null;
        var checkpoint = options.CheckpointEvery is null ? null : new Checkpoint(options.CheckpointFolder!, batch, intraOpThreads ?? 0);
        var resumed = options.Resume ? checkpoint?.TryLoad(theta, state, problem, logs, log) : null;
        if (resumed is not null)
            log($"run{(runs > 1 ? "s" : "")} {string.Join(", ", batch.Select(b => b.Run))} resumed from the checkpoint after epoch {resumed.NextEpoch} (step {resumed.Step})");
        else if (first.From is { } branch) // BatchPlan runs a branch alone and checked that the parent's checkpoint exists
        {
            resumed = new Checkpoint(options.CheckpointFolder!, [(0, branch.Parent)], intraOpThreads ?? 0).TryLoad(theta, state, problem, logs, log, branch.AfterEpoch);
            log($"run {batch[0].Run} branched from its parent's checkpoint after epoch {branch.AfterEpoch} (step {resumed!.Step})");
        }
        resumed?.StoppedAt.CopyTo(stoppedAt, 0);
        int startEpoch = resumed?.NextEpoch ?? 0, t = resumed?.Step ?? 0;
        for (int epoch = 0; epoch < startEpoch; epoch++)
            foreach (var order in orders) order.NextEpoch(epoch); // the samplers' streams, replayed to where the checkpoint was
        void Report(int taken, bool replayed = false)
        {
            for (int r = 0; r < runs && taken > 0; r++)
                if (stoppedAt[r] is null) steps?.Invoke(new StepsDone(batch[r].Run, batch[r].X, taken, replayed));
        }
        Report(t, replayed: true);

        for (int epoch = startEpoch; epoch < first.Epochs && !stoppedAt.All(n => n is not null); epoch++)
        {
            using var epochScope = NewDisposeScope();
            var data = problem.Epoch(orders.Select(o => o.NextEpoch(epoch)).ToArray());
            if (probes.BatchLossesAtEpochStart.Contains(epoch))
                foreach (var (losses, r) in data.EveryBatchLoss(theta).Select((l, r) => (l, r)).Where(e => stoppedAt[e.r] is null))
                    logs[r].AddBatchLosses(epoch, losses);

            // The epoch's per-step values stay on the device, [column, step, run], and are read back once.
            Tensor recorded;
            using (var k = new Scalars()) recorded = full([columns.Names.Count, data.Count, runs], k[double.NaN], ScalarType.Float64, device);
            int epochStart = t;
            for (int s = 0; s < data.Count; s++, t++)
            {
                cancel.ThrowIfCancellationRequested();
                using (NewDisposeScope()) Step(problem, data, s, t, theta, state, recorded.select(1, s));
                Report(1); // a network's step takes milliseconds: each is reported
            }
            ReadBack(recorded, epochStart);
            if (stoppedAt.All(n => n is not null)) break; // every run has diverged
            EndEpoch(problem, theta);
            if (checkpoint is not null && ((epoch + 1) % options.CheckpointEvery!.Value == 0 || epoch + 1 == first.Epochs))
                checkpoint.Save(new Checkpoint.State(epoch + 1, t, stoppedAt), theta, state, problem, logs);
        }
        double seconds = clock.Elapsed.TotalSeconds / runs; // each run's share of the batch's time
        return batch.Select((r, i) => (stoppedAt[i] is int steps
            ? logs[i].Finish(r.Run, r.X, RunStatus.Diverged, DivergenceOf(i, steps - 1), steps, seconds)
            : logs[i].Finish(r.Run, r.X, RunStatus.Completed, "", t, seconds)) with { IntraOpThreads = intraOpThreads }).ToArray();
    }

    /// <summary>One optimizer step of every run on its s-th batch, writing the step's values into <paramref name="recorded"/> [column, run].</summary>
    void Step(ITensorProblem problem, ITensorEpoch data, int s, int t, Tensor theta, OptimizerState state, Tensor recorded)
    {
        var lr = batch.Select(r => r.X.Optimizer.Lr * r.X.LrSchedule.Factor(t, r.X.TotalSteps)).ToArray();
        for (int r = 0; r < runs; r++) logs[r].Set(columns.Lr, t, lr[r]);
        void Record(int column, Tensor? perRun)
        {
            if (column >= 0 && perRun is not null) recorded[column].copy_(perRun);
        }

        var trained = data.Batch(s);
        var (loss, grad) = trained.LossAndGrad(theta, training: true);
        var tracked = probes.TrackedBatch is int tb ? data.Batch(tb - 1) : null;
        var trackedGrad = tracked?.LossAndGrad(theta, training: false);
        if (probes.GradientSpikeTheta is double spikeTheta && state.V is { } v0) // v before this step's update
            using (var k = new Scalars())
                Record(columns.GradSpikes, grad.mul(grad).gt(v0.mul(k[spikeTheta])).to_type(ScalarType.Float64).mean([1]));
        var delta = state.Step(grad, theta, lr);
        using (var k = new Scalars()) theta.add_(delta, alpha: k[1]);

        Record(columns.Loss, loss);
        if (probes.GradNorm) Record(columns.GradNorm, L2Norm.Of(grad, dims: [1]));
        if (probes.MomentNorms)
        {
            Record(columns.MNorm, state.M is { } m ? L2Norm.Of(m, dims: [1]) : null);
            Record(columns.VNorm, state.V is { } v ? L2Norm.Of(v, dims: [1]) : null);
        }
        if (probes.StepNorm) Record(columns.StepNorm, L2Norm.Of(delta, dims: [1]));
        if (tracked != null && trackedGrad is var (trackedLoss, gb))
        {
            Record(columns.TrackedBefore, trackedLoss);
            Record(columns.TrackedAfter, tracked.Loss(theta));
            Record(columns.GDotTracked, grad.mul(gb).sum([1]));
            Record(columns.MDotTracked, state.M?.mul(gb).sum([1]));
            Record(columns.StepDotTracked, delta.mul(gb).sum([1]));
        }
        for (int k = 0; k < probes.Coordinates.Count; k++)
        {
            Record(columns.MCoordinate[k], state.M?.select(1, probes.Coordinates[k]));
            Record(columns.VCoordinate[k], state.V?.select(1, probes.Coordinates[k]));
        }
        if (probes.Extra.Count > 0)
        {
            var values = new StepValues(grad, state.M, state.V, delta, theta);
            for (int k = 0; k < probes.Extra.Count; k++)
                foreach (var (column, value) in columns.Extra[k].Zip(probes.Extra[k].Compute(values))) Record(column, value);
        }
        var reported = state.Reported;
        for (int k = 0; k < columns.Reported.Length; k++) Record(columns.Reported[k], reported[k]);
        var problemReported = problem.Reported(trained, theta, t);
        for (int k = 0; k < columns.ProblemReported.Length; k++) Record(columns.ProblemReported[k], problemReported[k]);
    }

    /// <summary>The epoch-end columns of every run still going: the full loss when asked, then the problem's own.</summary>
    void EndEpoch(ITensorProblem problem, Tensor theta)
    {
        if (probes.EpochEndFullLoss)
        {
            using var scope = NewDisposeScope();
            var fullLoss = problem.FullLoss(theta).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int r = 0; r < runs; r++)
                if (stoppedAt[r] is null) logs[r].AddEpochEnd("full_loss", fullLoss[r]);
        }
        var values = problem.EpochValues(theta);
        var names = batch[0].X.Problem.EpochColumns;
        for (int c = 0; c < names.Count; c++)
            for (int r = 0; r < runs; r++)
                if (stoppedAt[r] is null) logs[r].AddEpochEnd(names[c], values[c][r]);
    }

    /// <summary>Copies the epoch's values into each run's log and stops a run at its first NaN/Inf loss.</summary>
    void ReadBack(Tensor recorded, int epochStart)
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
