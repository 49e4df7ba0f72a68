using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// Runs one <see cref="Experiment"/> on the quadratic problem with TorchSharp tensors on the experiment's
/// device. Every step's temporaries live in a DisposeScope that ends with the step; x and the optimizer
/// state are updated in place, so memory stays flat however long the run.
/// </summary>
static class QuadraticRun
{
    public static RunRecord Execute(int run, Experiment x, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var p = x.Recorded;
        var data = QuadraticData.Draw(x.Problem, x.Seed);
        var order = new SampleOrder(x.Sampler, x.Problem.N, x.BatchSize, Rng.For(x.Seed, "sampler"));
        var columns = StepColumns.For(p);
        var values = columns.Select(_ => new double[x.TotalSteps]).ToArray();
        var fullLoss = new List<double>();
        var batchLosses = new List<(int, int, double)>();
        var device = TorchRuntime.DeviceOf(x.Device);
        var type = TorchRuntime.TypeOf(x.Problem.Precision);

        using var runScope = NewDisposeScope();
        var a = tensor(data.A, dtype: type, device: device);
        var b = tensor(data.B, dtype: type, device: device);
        var c = tensor(data.C, dtype: type, device: device);
        var dim = tensor(data.Dim.Select(i => (long)i).ToArray(), device: device);
        using var constants = new Scalars();
        var theta = full(x.Problem.D, constants[x.Problem.X0], dtype: type, device: device);
        var one = constants[1];
        var allFunctions = new BatchSlice(a, b, c, dim);
        using var state = x.Optimizer.Init(theta);

        int t = 0;
        for (int epoch = 0; epoch < x.Epochs; epoch++)
        {
            using var epochScope = NewDisposeScope();
            var batches = order.NextEpoch(epoch);
            var epochData = EpochData.Gather(batches, a, b, c, dim);
            if (p.BatchLossesAtEpochStart.Contains(epoch))
                batchLosses.AddRange(epochData.EveryBatchLoss(theta).Select((l, k) => (epoch, k + 1, l)));

            for (int s = 0; s < batches.Length; s++, t++)
            {
                using var stepScope = NewDisposeScope();
                double lr = x.Optimizer.Lr * x.LrSchedule.Factor(t, x.TotalSteps);
                var (loss, grad) = epochData.Batch(s).LossAndGrad(theta);
                var tracked = p.TrackedBatch is int tb ? epochData.Batch(tb - 1) : null;
                var trackedGrad = tracked?.LossAndGrad(theta);
                var delta = state.Step(grad, theta, lr);
                theta.add_(delta, alpha: one);

                var row = new StepRow(values, t);
                double lossValue = row.Set(columns.Loss, loss);
                row.Set(columns.Lr, lr);
                if (p.GradNorm) row.Set(columns.GradNorm, grad.norm());
                if (p.MomentNorms)
                {
                    row.Set(columns.MNorm, state.M?.norm());
                    row.Set(columns.VNorm, state.V?.norm());
                }
                if (p.StepNorm) row.Set(columns.StepNorm, delta.norm());
                if (tracked != null && trackedGrad is { } tg)
                {
                    var (trackedLoss, gb) = tg;
                    row.Set(columns.TrackedBefore, trackedLoss);
                    row.Set(columns.TrackedAfter, tracked.Loss(theta));
                    row.Set(columns.GDotTracked, grad.dot(gb));
                    row.Set(columns.MDotTracked, state.M?.dot(gb));
                    row.Set(columns.StepDotTracked, delta.dot(gb));
                }
                for (int k = 0; k < p.Coordinates.Count; k++)
                {
                    row.Set(columns.MCoordinate[k], state.M?[p.Coordinates[k]]);
                    row.Set(columns.VCoordinate[k], state.V?[p.Coordinates[k]]);
                }

                if (!double.IsFinite(lossValue))
                {
                    var message = DivergenceMessage.For(run, x, epoch, s, t, lossValue);
                    log.WriteLine(message);
                    return Record(RunStatus.Diverged, message, t + 1);
                }
            }
            if (p.EpochEndFullLoss) fullLoss.Add(StepRow.Value(allFunctions.Loss(theta)));
        }
        return Record(RunStatus.Completed, "", t);

        RunRecord Record(RunStatus status, string message, int steps) =>
            new(run, x, columns.Names, values, steps, fullLoss.ToArray(), batchLosses, status, message, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Writes one step's values into the column arrays; absent moments become NaN.</summary>
    readonly struct StepRow(double[][] values, int t)
    {
        public double Set(int column, Tensor? value) => Set(column, value is null ? double.NaN : Value(value));

        public double Set(int column, double value) => values[column][t] = value;

        public static double Value(Tensor scalar) => scalar.to_type(ScalarType.Float64).item<double>();
    }
}
