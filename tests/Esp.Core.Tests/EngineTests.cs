/// <summary>What a run records and how it stops.</summary>
public class EngineTests
{
    static readonly QuadraticProblem Small = new(N: 200, D: 150);

    static Experiment Probed(Optimizer optimizer, int tracked = 5) =>
        new(Small, optimizer, Sampler.Shuffle, Epochs: 4, BatchSize: 20, Seed: 3,
            Probes: Probes.All(tracked) with { Coordinates = new[] { 0, 7 }, BatchLossesAtEpochStart = new[] { 0, 2 } });

    [Fact]
    public void A_diverging_run_stops_with_a_message_naming_run_epoch_and_step()
    {
        var log = new StringWriter();
        var ok = new Experiment(Small, new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
        // SGD at lr 1e3 multiplies a coordinate's residual by about -75 each time it is visited: Inf within 40 epochs
        var results = Engine.Run([ok, ok with { Optimizer = new Sgd(Lr: 1e3), Epochs = 40 }], log);

        var diverged = Assert.Single(results.Diverged);
        Assert.Equal(1, diverged.Run);
        Assert.Matches(@"^run 1 \(optimizer=sgd, lr=1000, .*\) diverged: the batch loss became (NaN|\+Inf) at epoch \d+, step \d+ \(global step \d+\)",
            diverged.Message);
        Assert.Contains(diverged.Message, log.ToString());
        Assert.False(double.IsFinite(diverged.Losses[^1]));
        Assert.All(diverged.Losses[..^1], l => Assert.True(double.IsFinite(l)));
        Assert.True(diverged.StepsTaken < 40 * ok.StepsPerEpoch);
        Assert.Equal(["completed", "diverged"], results.Runs.GetColumn<string>("status").Values);
        Assert.Equal(RunStatus.Completed, results.RunRecords[0].Status);
    }

    [Fact]
    public void The_tracked_batch_probes_agree_with_the_step_losses()
    {
        var r = Engine.Run(Probed(new Adam(Beta2: 0.8), tracked: 5)).RunRecords[0];
        var loss = r.Losses;
        var before = r.Column("tracked_loss_before");
        var after = r.Column("tracked_loss_after");
        for (int e = 0; e < 4; e++)
        {
            int t = e * 10 + 4; // the step that trains on batch b = 5 itself
            Assert.Equal(loss[t], before[t], 12);
            Assert.True(after[t] < before[t], $"a step on batch b must lower l^b (epoch {e})");
        }
        // l^b before step t+1 is l^b after step t whenever both steps are in the same epoch
        for (int t = 0; t < loss.Length - 1; t++)
            if ((t + 1) % 10 != 0) Assert.Equal(after[t], before[t + 1], 12);
    }

    [Fact]
    public void Norm_and_dot_probes_are_consistent_with_each_other()
    {
        var r = Engine.Run(Probed(new Sgd(Lr: 0.05))).RunRecords[0];
        // plain SGD: dtheta = -lr g, so ||dtheta|| = lr ||g|| and <dtheta, grad l^b> = -lr <g, grad l^b>
        Assert.All(Enumerable.Range(0, r.StepsTaken), t =>
        {
            Assert.Equal(0.05 * r.Column("grad_norm")[t], r.Column("step_norm")[t], 12);
            Assert.Equal(-0.05 * r.Column("g_dot_tracked")[t], r.Column("step_dot_tracked")[t], 12);
        });
        Assert.All(r.Column("m_norm"), v => Assert.True(double.IsNaN(v), "SGD without momentum has no m"));
    }

    [Fact]
    public void Moment_probes_follow_adam_on_the_first_step()
    {
        var r = Engine.Run(Probed(new Adam(Beta1: 0.9, Beta2: 0.8))).RunRecords[0];
        // after one step m = 0.1 g and v = 0.2 g^2 (elementwise), so ||m|| = 0.1 ||g|| and
        // the step is -lr * sign(g) on every touched coordinate (bias-corrected m/sqrt(v) = g/|g|).
        Assert.Equal(0.1 * r.Column("grad_norm")[0], r.Column("m_norm")[0], 12);
        int touched = (int)Math.Round(Math.Pow(r.Column("step_norm")[0] / 0.06, 2));
        Assert.InRange(touched, 1, 20);
        // per coordinate after one step: m_i = 0.1 g_i and v_i = 0.2 g_i^2, so v_i = 20 m_i^2
        foreach (int i in new[] { 0, 7 })
            Assert.Equal(20 * Math.Pow(r.Column($"m_{i}")[0], 2), r.Column($"v_{i}")[0], 12);
    }

    [Fact]
    public void Batch_losses_at_an_epoch_start_include_the_first_step_loss()
    {
        var results = Engine.Run(Probed(new Adam()));
        var r = results.RunRecords[0];
        var epoch2 = r.BatchLosses.Where(b => b.Epoch == 2).ToArray();
        Assert.Equal(10, epoch2.Length);
        Assert.Equal(Enumerable.Range(1, 10), epoch2.Select(b => b.Batch));
        Assert.Equal(r.Losses[20], epoch2[0].Loss, 12); // batch 1 of epoch 2 is what step 20 trains on, before it
        Assert.Equal(20, results.BatchLosses.RowCount);
        Assert.Equal(4, r.EpochEndFullLoss.Length);
        Assert.True(r.EpochEndFullLoss[3] < r.EpochEndFullLoss[0]);
    }

    [Fact]
    public void Frames_have_the_documented_columns_and_one_row_per_step_or_run()
    {
        var grid = new[] { 0.999, 0.8 }.Select(b2 =>
            new Experiment(Small, new Adam(Beta2: b2), Sampler.Sequential, Epochs: 4, BatchSize: 20)).ToList();
        var results = Engine.Run(grid);

        Assert.Equal(80, results.Steps.RowCount);
        var steps = results.Steps.ColumnKeys.ToList();
        Assert.Equal(["run", "optimizer", "lr", "beta1", "beta2", "eps"], steps.Take(6));
        Assert.True(steps.IndexOf("seed") < steps.IndexOf("epoch"));
        Assert.Equal(["epoch", "step", "global_step", "loss", "lr_t"], steps.SkipWhile(c => c != "epoch"));
        Assert.Equal(2, results.Runs.RowCount);
        Assert.Equal([0.999, 0.8], results.Runs.GetColumn<double>("beta2").Values);
        Assert.Equal(results.Metrics(1).SawtoothIndex, results.Runs.GetColumn<double>("sawtooth_index").Values.Last());
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0], results.Steps.GetColumn<double>("step").Values.Skip(30).Take(11));
    }

    [Fact]
    public void Plot_every_averages_windows_per_run()
    {
        var x = new Experiment(Small, new Adam(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
        var results = Engine.Run(x, x with { Seed = 1 });
        var windows = results.PlotEvery(10);
        Assert.Equal(8, windows.RowCount);
        var losses = results.RunRecords[1].Losses;
        Assert.Equal(losses.Skip(10).Take(10).Average(), windows.GetColumn<double>("loss").Values.ElementAt(5), 12);
        Assert.Equal([0.0, 1, 2, 3], windows.GetColumn<double>("epoch").Values.Take(4));
    }
}
