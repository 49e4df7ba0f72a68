using System.Diagnostics;
using System.Numerics;

namespace Esp;

/// <summary>
/// Runs one <see cref="Experiment"/> on the CPU with fused loops: per step, a gather/scatter over the batch's
/// functions for its loss and gradient, then one SIMD pass over x, m and v (<see cref="DensePass"/>). A run's
/// arrays (about 4 D numbers) stay in the core's cache for the whole run, which is what makes the CPU fast
/// here; the engine gives each core whole runs.
/// </summary>
static class FusedRun
{
    /// <summary>Whether <paramref name="x"/> can run fused: a problem with a fused path, an optimizer with a fused update,
    /// and only the probes the fused loops compute (not GradientSpikeTheta, nor step probes).</summary>
    public static bool Supports(Experiment x) => x.Problem.HasFusedPath && x.Optimizer.HasFusedUpdate
        && x.Recorded.GradientSpikeTheta is null && x.Recorded.Extra.Count == 0;

    /// <summary>Runs <paramref name="x"/>; with <paramref name="options"/>' CheckpointEvery it saves its state every K epochs
    /// and at the end (<see cref="FusedCheckpoint"/>), and with Resume continues from the newest good one.</summary>
    public static RunRecord Execute(int run, Experiment x, Action<string> log, CancellationToken cancel = default, Action<StepsDone>? steps = null,
        EngineOptions? options = null) => x.Problem.ElementPrecision == Precision.Float64
        ? FusedRun<double>.Execute(run, x, log, cancel, steps, options ?? EngineOptions.Default)
        : FusedRun<float>.Execute(run, x, log, cancel, steps, options ?? EngineOptions.Default);
}

static class FusedRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static RunRecord Execute(int run, Experiment x, Action<string> log, CancellationToken cancel, Action<StepsDone>? steps, EngineOptions options) =>
        x.Optimizer.RunFused(new Trainer(run, x, log, cancel, steps, options, Lanes.Padded<T>(x.Problem.Parameters)));

    /// <summary>The run, handed to the optimizer, which gives back its own update to train with.</summary>
    sealed class Trainer(int run, Experiment x, Action<string> log, CancellationToken cancel, Action<StepsDone>? steps, EngineOptions options, int length)
        : IFusedTrainer<T>
    {
        public int Length => length;

        public RunRecord Train<TUpdate>(TUpdate update) where TUpdate : struct, IDenseUpdate<T> =>
            FusedRun<T>.Train(run, x, log, cancel, steps, options, length, update);
    }

    /// <summary>Steps between progress reports within an epoch: a fused step takes microseconds.</summary>
    const int ReportEvery = 256;

    /// <summary>Reports the steps since <paramref name="reported"/> and returns the step count reported so far.</summary>
    static int Report(Action<StepsDone>? steps, int run, Experiment x, int t, int reported)
    {
        if (t > reported) steps?.Invoke(new StepsDone(run, x, t - reported));
        return t;
    }

    /// <summary><paramref name="length"/>: D rounded up to whole vectors, the length of every dense array.</summary>
    static RunRecord Train<TUpdate>(int run, Experiment x, Action<string> log, CancellationToken cancel, Action<StepsDone>? steps,
        EngineOptions options, int length, TUpdate update)
        where TUpdate : struct, IDenseUpdate<T>
    {
        var clock = Stopwatch.StartNew();
        var p = x.Recorded;
        var quadratic = (QuadraticProblem)x.Problem; // the fused path runs the quadratic problem only
        var problem = new CpuProblem<T>(QuadraticData.Draw(quadratic, x.Seed));
        var order = new SampleOrder(x.Sampler, x.Problem.Examples, x.BatchSize, Rng.For(x.Seed, "sampler"));
        var record = new RunLog(x);
        var columns = record.Columns;
        var theta = new T[length]; // padding coordinates stay 0, so every update leaves them at 0
        theta.AsSpan(0, x.Problem.Parameters).Fill(T.CreateChecked(quadratic.X0));
        var grad = new T[length];
        var trackedGrad = p.TrackedBatch is null ? null : new T[length];
        bool probing = p.GradNorm || p.MomentNorms || p.StepNorm || p.TrackedBatch is not null;

        var checkpoint = options.CheckpointEvery is null ? null : new FusedCheckpoint(options.CheckpointFolder!, x);
        var resumed = options.Resume ? checkpoint?.TryLoad(theta, update.State, record, log) : null;
        if (resumed is not null) log($"run {run} resumed from the checkpoint after epoch {resumed.NextEpoch} (step {resumed.Step})");
        else if (x.From is { } branch) // BatchPlan checked that the parent's checkpoint exists
        {
            resumed = new FusedCheckpoint(options.CheckpointFolder!, branch.Parent).TryLoad(theta, update.State, record, log, branch.AfterEpoch);
            log($"run {run} branched from its parent's checkpoint after epoch {branch.AfterEpoch} (step {resumed!.Step})");
        }
        int startEpoch = resumed?.NextEpoch ?? 0, t = resumed?.Step ?? 0;
        for (int epoch = 0; epoch < startEpoch; epoch++) order.NextEpoch(epoch); // the sampler's stream, replayed to the checkpoint
        if (t > 0) steps?.Invoke(new StepsDone(run, x, t, Replayed: true));
        int reported = t;

        for (int epoch = startEpoch; epoch < x.Epochs; epoch++)
        {
            var batches = order.NextEpoch(epoch);
            if (p.BatchLossesAtEpochStart.Contains(epoch)) record.AddBatchLosses(epoch, problem.BatchLosses(batches, theta));
            for (int s = 0; s < batches.Length; s++, t++)
            {
                cancel.ThrowIfCancellationRequested();
                if (t - reported >= ReportEvery) reported = Report(steps, run, x, t, reported);
                double lr = x.Optimizer.Lr * x.LrSchedule.Factor(t, x.TotalSteps);
                update.Prepare(lr, t + 1);
                double loss = double.CreateChecked(problem.LossAndGrad(batches[s], theta, grad));
                var tracked = p.TrackedBatch is int b ? batches[b - 1] : null;
                double trackedBefore = tracked is null ? double.NaN : double.CreateChecked(problem.LossAndGrad(tracked, theta, trackedGrad!));
                if (probing)
                {
                    var sums = DensePass.Probe(ref update, grad, theta, trackedGrad);
                    record.Set(columns.GradNorm, t, Math.Sqrt(sums.GradSq));
                    record.Set(columns.MNorm, t, Math.Sqrt(sums.MSq));
                    record.Set(columns.VNorm, t, Math.Sqrt(sums.VSq));
                    record.Set(columns.StepNorm, t, Math.Sqrt(sums.StepSq));
                    record.Set(columns.GDotTracked, t, sums.GDotTracked);
                    record.Set(columns.MDotTracked, t, sums.MDotTracked);
                    record.Set(columns.StepDotTracked, t, sums.StepDotTracked);
                }
                else DensePass.Apply(ref update, grad, theta);
                problem.Clear(batches[s], grad);
                if (tracked is not null)
                {
                    problem.Clear(tracked, trackedGrad!);
                    record.Set(columns.TrackedBefore, t, trackedBefore);
                    record.Set(columns.TrackedAfter, t, double.CreateChecked(problem.Loss(tracked, theta)));
                }
                record.Set(columns.Loss, t, loss);
                record.Set(columns.Lr, t, lr);
                for (int k = 0; k < p.Coordinates.Count; k++)
                {
                    int i = p.Coordinates[k];
                    record.Set(columns.MCoordinate[k], t, update.M is { } m ? double.CreateChecked(m[i]) : double.NaN);
                    record.Set(columns.VCoordinate[k], t, update.V is { } v ? double.CreateChecked(v[i]) : double.NaN);
                }
                if (!double.IsFinite(loss))
                {
                    var message = DivergenceMessage.For(run, x, epoch, s, t, loss);
                    log(message);
                    return record.Finish(run, x, RunStatus.Diverged, message, t + 1, clock.Elapsed.TotalSeconds);
                }
            }
            if (p.EpochEndFullLoss) record.AddEpochEnd("full_loss", problem.FullLoss(theta));
            if (checkpoint is not null && ((epoch + 1) % options.CheckpointEvery!.Value == 0 || epoch + 1 == x.Epochs))
                checkpoint.Save(new FusedCheckpoint.State(epoch + 1, t), theta, update.State, record);
            reported = Report(steps, run, x, t, reported);
        }
        return record.Finish(run, x, RunStatus.Completed, "", t, clock.Elapsed.TotalSeconds);
    }
}
