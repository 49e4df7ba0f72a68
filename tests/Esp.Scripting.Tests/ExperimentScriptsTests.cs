using Deedle;

/// <summary>
/// Every figure script of experiments/ in --quick mode (N = D = 1 000, batch 10, still 100 steps per epoch):
/// it writes its files and the direction of the paper's claim holds on the quick data. The numbers in the
/// comments are the quick runs' (seed 0); experiments/README.md lists the full-size ones.
/// </summary>
[Collection("esp-script")]
public sealed class ExperimentScriptsTests : IDisposable
{
    readonly Scratch scratch = new();
    public void Dispose() => scratch.Dispose();

    string RunQuick(string name, params string[] files)
    {
        var folder = Path.Combine(scratch.Folder, name);
        var (code, _, err, _) = scratch.Run(Path.Combine(Repository.Root, "experiments", name + ".csx"), folder, quick: true);
        Assert.True(code == 0, err);
        var written = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
        Assert.All(files.Append("manifest.json").Append(name + ".html"), f => Assert.Contains(f, written));
        return folder;
    }

    static Frame<int, string> Csv(string folder, string file) => Frame.ReadCsv(Path.Combine(folder, file));

    /// <summary>The runs.csv metric of the run whose settings match all of <paramref name="where"/>.</summary>
    static double Metric(string folder, string metric, params (string Column, object Value)[] where)
    {
        var runs = Csv(folder, "runs.csv");
        bool Matches(int i, (string Column, object Value) w) => w.Value is string text
            ? runs.GetColumn<string>(w.Column).GetAt(i) == text
            : Math.Abs(runs.GetColumn<double>(w.Column).GetAt(i) - Convert.ToDouble(w.Value)) <= 1e-12 * Math.Abs(Convert.ToDouble(w.Value));
        var matches = Enumerable.Range(0, runs.RowCount).Where(i => where.All(w => Matches(i, w))).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} runs match {string.Join(", ", where)}");
        return runs.GetColumn<double>(metric).GetAt(matches[0]);
    }

    /// <summary>A steps.csv column of one run over epoch e (100 steps an epoch).</summary>
    static double[] Epoch(string folder, int run, string column, int epoch)
    {
        var steps = Csv(folder, "steps.csv");
        var runs = steps.GetColumn<int>("run").Values.ToArray();
        var values = steps.GetColumn<double>(column).Values.ToArray();
        return values.Where((_, i) => runs[i] == run).Skip(epoch * 100).Take(100).ToArray();
    }

    [Fact]
    public void Fig10_every_batch_is_below_the_previous_epochs_losses_at_an_epoch_start()
    {
        var folder = RunQuick("fig10", "steps.csv", "runs.csv", "batch_losses.csv");
        var batches = Csv(folder, "batch_losses.csv");
        Assert.Equal(200, batches.RowCount); // 100 batches x 2 runs, all at epoch 4
        Assert.All(batches.GetColumn<int>("epoch").Values, e => Assert.Equal(4, e));
        var losses = batches.GetColumn<double>("loss").Values.ToArray();
        for (int run = 0; run < 2; run++)
            Assert.True(losses.Skip(100 * run).Take(100).Average() < Epoch(folder, run, "loss", 3).Average()); // quick: 1.59 < 2.10, 1.46 < 1.86
    }

    [Fact]
    public void Fig11_m_is_high_at_each_epoch_start_and_v_rises_within_the_epoch_at_beta2_0_8()
    {
        var folder = RunQuick("fig11", "steps.csv");
        for (int e = 4; e <= 6; e++)
        {
            var m = Epoch(folder, 1, "m_norm", e);
            Assert.True(m[0] > 1.2 * m.Min(), $"epoch {e}: ||m|| {m[0]} at the start vs minimum {m.Min()}"); // quick: 0.178 vs 0.107
            var v = Epoch(folder, 1, "v_norm", e);
            Assert.True(v.Skip(90).Average() > v.Take(10).Average(), $"epoch {e}: ||v|| must rise"); // quick: 5.5e-2 -> 6.8e-2
        }
    }

    [Theory]
    [InlineData("fig13", "g_dot_tracked")]
    [InlineData("fig14", "m_dot_tracked")]
    [InlineData("fig17", "step_dot_tracked")]
    public void Tracked_batch_figures_show_the_step_on_b_and_the_creep_of_l_b(string name, string column)
    {
        var folder = RunQuick(name, "steps.csv");
        var dots = Epoch(folder, 1, column, 4);
        Assert.Equal(100, dots.Length);
        var before = Epoch(folder, 1, "tracked_loss_before", 4);
        var after = Epoch(folder, 1, "tracked_loss_after", 4);
        Assert.True(before[99] > before[0], $"beta2 0.8: l^b must creep up before b is visited ({before[0]} -> {before[99]})"); // quick: 1.414 -> 1.442
        Assert.True(after[99] < before[99], "the step on b itself lowers l^b");
        // at t = b the gradient of b itself enters g (fully) and m (with weight 1 - beta1): the dot product jumps
        // (quick: <g, grad l^b> 0.245 vs a mean of 0.0016 before; <m, grad l^b> 0.025 vs 0.0025)
        if (column != "step_dot_tracked")
            Assert.True(dots[99] > 5 * Math.Abs(dots[..99].Average()), $"{column} at t = b: {dots[99]} vs mean before {dots[..99].Average()}");
    }

    [Fact]
    public void Fig15_gradient_norm_grows_over_the_epoch_at_beta2_0_8()
    {
        var folder = RunQuick("fig15", "steps.csv");
        double Slope(int run) => LinearFit.Of(Enumerable.Range(0, 100).Select(i => i / 100.0).ToArray(), Epoch(folder, run, "grad_norm", 4)).Slope;
        Assert.True(Slope(1) > 0 && Slope(1) > Slope(0), $"slopes: beta2 0.999 {Slope(0)}, 0.8 {Slope(1)}"); // quick: -0.057, 0.248
    }

    [Fact]
    public void Fig16_cosine_is_n_shaped()
    {
        var folder = RunQuick("fig16", "cosine.csv");
        var cosine = Csv(folder, "cosine.csv").GetColumn<double>("cosine").Values.ToArray();
        Assert.Equal(101, cosine.Length);
        Assert.True(cosine[0] < 0 && cosine[^1] < 0, $"ends: {cosine[0]}, {cosine[^1]}"); // -0.640, -0.292
        Assert.True(cosine.Max() > 0.3, $"maximum {cosine.Max()}");                          // 0.414 at beta2 0.8
        int peak = Array.IndexOf(cosine, cosine.Max());
        Assert.True(peak > 10 && peak < 100);
    }

    [Fact]
    public void Fig21_rmsprop_saws_less_than_adam()
    {
        var folder = RunQuick("fig21", "runs.csv");
        double rmsprop = Metric(folder, "sawtooth_index", ("optimizer", "rmsprop"), ("beta2", 0.8), ("sampler", "shuffle"));
        double adam = Metric(folder, "sawtooth_index", ("optimizer", "adam"));
        Assert.True(rmsprop > 0 && rmsprop < 0.5 * adam, $"RMSProp {rmsprop} vs Adam {adam}"); // quick: 0.136 vs 0.512
        Assert.True(Metric(folder, "rise_index", ("optimizer", "rmsprop"), ("beta2", 0.8), ("sampler", "sequential")) < 0.05);
    }

    [Fact]
    public void Fig22_smaller_beta2_saws_more_and_larger_eps_less()
    {
        var folder = RunQuick("fig22", "runs.csv");
        double Saw(double beta2, double eps) => Metric(folder, "sawtooth_index", ("beta2", beta2), ("eps", eps));
        // quick: 0.193 (0.999) < 0.512 (0.8) < 0.725 (0.79) < 0.772 (0.78); eps 1e-8 0.512 > eps 1e-1 0.118
        Assert.True(Saw(0.999, 1e-8) < Saw(0.8, 1e-8) && Saw(0.8, 1e-8) < Saw(0.79, 1e-8) && Saw(0.79, 1e-8) < Saw(0.78, 1e-8));
        Assert.True(Saw(0.8, 1e-8) > 2 * Saw(0.8, 0.1));
        Assert.Equal(15, Csv(folder, "runs.csv").RowCount);
    }

    [Fact]
    public void Extra_a_larger_batch_saws_less()
    {
        var folder = RunQuick("extra_batch_size", "runs.csv");
        double Saw(int batch) => Metric(folder, "sawtooth_index", ("beta2", 0.8), ("batch_size", batch));
        Assert.True(Saw(20) < Saw(10), $"batch 20: {Saw(20)}, batch 10: {Saw(10)}"); // quick: 0.206 < 0.512
    }

    [Fact]
    public void Extra_a_smaller_beta1_saws_less()
    {
        var folder = RunQuick("extra_beta1", "runs.csv");
        double Saw(double beta1) => Metric(folder, "sawtooth_index", ("beta2", 0.8), ("beta1", beta1));
        Assert.True(Saw(0.1) < Saw(0.9), $"beta1 0.1: {Saw(0.1)}, 0.9: {Saw(0.9)}"); // quick: 0.135 < 0.512
    }

    [Fact]
    public void Extra_the_tracked_batch_loss_climbs_through_the_epoch()
    {
        var folder = RunQuick("extra_loss_curves", "steps.csv");
        var lb = Epoch(folder, 1, "tracked_loss_before", 5);
        Assert.True(lb[99] > 1.2 * lb[0], $"l^b {lb[0]} -> {lb[99]}"); // quick: 1.300 -> 2.018
    }

    [Fact]
    public void My_problem_runs_a_loss_written_in_the_script_and_adam_leaves_the_start()
    {
        var folder = RunQuick("my_problem", "runs.csv", "steps.csv");
        var runs = Csv(folder, "runs.csv");
        Assert.Equal(2, runs.RowCount); // quick: one seed, reshuffled and a fixed order
        Assert.All(runs.GetColumn<string>("problem").Values, p => Assert.Equal("noisy rosenbrock", p));
        Assert.All(runs.GetColumn<string>("status").Values, s => Assert.Equal("completed", s));
        // from (-1.5, 2), where the loss is 12.5 + the targets' variance (0.09), Adam moves down into the valley
        Assert.All(runs.GetColumn<double>("final_loss").Values, loss => Assert.InRange(loss, 0, 5));
    }

    [Fact]
    public void Sweep_finds_the_strongest_sawtooth_at_the_smallest_beta2_and_eps()
    {
        var folder = RunQuick("sweep_beta2_eps", "runs.csv");
        var runs = Csv(folder, "runs.csv");
        Assert.Equal(6 * 4 * 5, runs.RowCount);
        var saw = runs.GetColumn<double>("sawtooth_index").Values.ToArray();
        var beta2 = runs.GetColumn<double>("beta2").Values.ToArray();
        var eps = runs.GetColumn<double>("eps").Values.ToArray();
        double Cell(double b, double e) => saw.Where((_, i) => beta2[i] == b && eps[i] == e).Average();
        var cells = from b in beta2.Distinct() from e in eps.Distinct() select (b, e, mean: Cell(b, e));
        Assert.Equal((0.8, 1e-8), cells.MaxBy(c => c.mean) is var top ? (top.b, top.e) : default); // quick: 0.481 +- 0.038
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Fmnist_esp_trains_the_mlp_and_reports_esp_metrics_and_validation_per_run()
    {
        var folder = RunQuick("fmnist_esp", "steps.csv", "runs.csv", "epochs.csv");
        var runs = Csv(folder, "runs.csv");
        Assert.Equal(8, runs.RowCount); // 2 samplers x 2 beta2 x 2 seeds (quick)
        Assert.All(runs.GetColumn<string>("model").Values, m => Assert.Equal("mlp 784-256-128-10 relu", m));
        Assert.All(runs.GetColumn<double>("sawtooth_index").Values, v => Assert.True(double.IsFinite(v)));
        var epochs = Csv(folder, "epochs.csv");
        Assert.Equal(8 * 6, epochs.RowCount);
        var last = epochs.GetColumn<int>("epoch").Values.Select((e, i) => (e, i)).Where(p => p.e == 5).Select(p => p.i).ToList();
        // trained: every run ends far above chance (0.1) on the held-out images (quick: 0.84 to 0.85)
        Assert.All(last, i => Assert.True(epochs.GetColumn<double>("val_accuracy").GetAt(i) > 0.5));
        Assert.All(last, i => Assert.True(epochs.GetColumn<double>("full_loss").GetAt(i) < epochs.GetColumn<double>("full_loss").GetAt(i - 5)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Fig2_trains_bert_on_fortunes_and_reports_the_masked_lm_and_next_sentence_esp_per_run()
    {
        var folder = RunQuick("fig2", "steps.csv", "runs.csv", "esp.csv");
        var esp = Csv(folder, "esp.csv");
        Assert.Equal(4, esp.RowCount); // shuffle / sequential x beta2 0.999 / 0.8
        Assert.Equal(["shuffle", "shuffle", "sequential", "sequential"], esp.GetColumn<string>("sampler").Values);
        foreach (var metric in new[] { "mlm_sawtooth_index", "nsp_sawtooth_index", "val_mlm_accuracy", "val_nsp_accuracy" })
            Assert.All(esp.GetColumn<double>(metric).Values, v => Assert.True(double.IsFinite(v), metric));

        var steps = Csv(folder, "steps.csv");
        Assert.Equal(4 * 4 * 5, steps.RowCount); // quick: 160 pairs at batch 32 = 5 steps an epoch, 4 epochs
        var (run, loss, mlm, nsp) = (steps.GetColumn<int>("run").Values.ToArray(), steps.GetColumn<double>("loss").Values.ToArray(),
            steps.GetColumn<double>("mlm_loss").Values.ToArray(), steps.GetColumn<double>("nsp_loss").Values.ToArray());
        Assert.All(Enumerable.Range(0, loss.Length), i => Assert.Equal(loss[i], mlm[i] + nsp[i], 1e-4));
        // every run learns: its masked-LM loss over the last epoch is below the first's (quick: 8.5 -> 7.1 to 7.3)
        foreach (var r in run.Distinct())
        {
            var own = mlm.Where((_, i) => run[i] == r).ToArray();
            Assert.True(own[^5..].Average() < own[..5].Average() - 0.5, $"run {r}: {own[..5].Average()} -> {own[^5..].Average()}");
        }
        var validation = steps.GetColumn<double>("val_mlm_loss").Values.ToArray(); // every plot_every = 5 steps
        Assert.Equal(4 * 4, validation.Count(double.IsFinite));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Bert_ablations_runs_every_group_once_sharing_the_base_run_and_the_larger_model_learns_faster()
    {
        var folder = RunQuick("bert_ablations", "runs.csv", "esp_size.csv", "esp_plot_every.csv", "esp_batch.csv", "esp_weight_decay.csv",
            "esp_beta1.csv", "esp_beta2.csv");
        Assert.Equal(9, Csv(folder, "runs.csv").RowCount); // base + 2 sizes + plot_every 20 + batch 128 + weight decay + 2 beta1 + beta2
        var size = Csv(folder, "esp_size.csv");
        var final = size.GetColumn<double>("mlm_final_loss").Values.ToArray();
        Assert.True(final[0] > final[1] && final[1] > final[2], $"masked-LM loss after 4 epochs at hidden 64, 128, 256: {string.Join(", ", final)}");
        var plotEvery = Csv(folder, "esp_plot_every.csv"); // plot_every only changes the plot and when validation runs
        Assert.Equal(plotEvery.GetColumn<double>("mlm_final_loss").GetAt(0), plotEvery.GetColumn<double>("mlm_final_loss").GetAt(1));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Adam_spikes_counts_spikes_per_optimizer_and_adam_reaches_the_lower_loss()
    {
        var folder = RunQuick("adam_spikes", "steps.csv", "runs.csv");
        var runs = Csv(folder, "runs.csv");
        Assert.Equal(8, runs.RowCount); // 2 optimizers x drop_last x 2 seeds (quick)
        double Final(string optimizer) => Enumerable.Range(0, runs.RowCount)
            .Where(i => runs.GetColumn<string>("optimizer").GetAt(i) == optimizer).Average(i => runs.GetColumn<double>("final_loss").GetAt(i));
        Assert.True(Final("adam") < 0.5 * Final("sgd"), $"adam {Final("adam")} vs sgd {Final("sgd")}");
        var steps = Csv(folder, "steps.csv");
        Assert.Equal(4 * 60 * 32 + 4 * 60 * 31, steps.RowCount); // drop_last runs skip the batch of 8 each epoch
    }

    [Fact]
    public void Spikes_toy_adam_spikes_more_at_small_beta2_where_the_rare_coordinates_v_collapses()
    {
        var folder = RunQuick("spikes_toy", "steps.csv", "runs.csv", "spikes.csv");
        var runs = Csv(folder, "runs.csv");
        double Mean(string column, Func<int, bool> which) =>
            Enumerable.Range(0, runs.RowCount).Where(which).Average(i => runs.GetColumn<double>(column).GetAt(i));
        bool Adam(int i, double beta2) => runs.GetColumn<string>("optimizer").GetAt(i) == "adam" && runs.GetColumn<double>("beta2").GetAt(i) == beta2
            && runs.GetColumn<double>("eps").GetAt(i) == 1e-8;
        // quick: 17.3 spikes a run at beta2 0.9 against 10.7 at 0.999
        Assert.True(Mean("loss_spikes", i => Adam(i, 0.9)) > Mean("loss_spikes", i => Adam(i, 0.999)));
        var steps = Csv(folder, "steps.csv");
        double MinV(int run) => steps.GetColumn<double>("v_0").Values.Where((_, k) => steps.GetColumn<int>("run").GetAt(k) == run).Skip(1000).Min();
        Assert.True(MinV(12) < 1e-3 * MinV(0), $"v_0 at beta2 0.9: {MinV(12)}, at 0.999: {MinV(0)}"); // quick: 9.6e-6 vs 160
        Assert.True(Csv(folder, "spikes.csv").RowCount > 0);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Spikes_mlp_adams_spikes_fall_mostly_on_the_partial_last_batch_and_drop_last_removes_them()
    {
        var folder = RunQuick("spikes_mlp", "steps.csv", "runs.csv", "spikes.csv");
        var spikes = Csv(folder, "spikes.csv"); // the z-rule the script sets: > 4 sd above the mean of the 100 steps before
        var adam = Enumerable.Range(0, spikes.RowCount).Where(i => spikes.GetColumn<string>("optimizer").GetAt(i) == "adam").ToList();
        bool DropLast(int i) => spikes.GetColumn<int>("drop_last").GetAt(i) == 1;
        var kept = adam.Where(i => !DropLast(i)).ToList();
        int atPartial = kept.Count(i => spikes.GetColumn<int>("step").GetAt(i) == 31); // 1 000 rows: steps 0..30 of 32, then 8
        // quick: 9 of Adam's 10 spikes are at the batch of 8; with DropLast none is left (0 against 10)
        Assert.True(2 * atPartial > kept.Count, $"{atPartial} of {kept.Count} at the partial batch");
        Assert.True(adam.Count(DropLast) < kept.Count, $"{adam.Count(DropLast)} with DropLast against {kept.Count}");
    }

    [Fact]
    public void Spam_fmnist_trains_adam_adamw_and_spam_at_a_high_learning_rate_and_counts_their_spikes()
    {
        var folder = RunQuick("spam_fmnist", "steps.csv", "runs.csv", "epochs.csv", "spikes.csv");
        var runs = Csv(folder, "runs.csv");
        Assert.Equal(["adam", "adam", "adamw", "adamw", "spam", "spam"], runs.GetColumn<string>("optimizer").Values);
        Assert.All(runs.GetColumn<double>("loss_spikes").Values, v => Assert.True(v >= 0));
        var epochs = Csv(folder, "epochs.csv");
        var last = Enumerable.Range(0, epochs.RowCount).Where(i => epochs.GetColumn<int>("epoch").GetAt(i) == 3).ToList();
        Assert.Equal(6, last.Count);
        Assert.All(last, i => Assert.True(epochs.GetColumn<double>("val_accuracy").GetAt(i) > 0.5)); // all three learn
    }

    [Fact]
    public void Claims_holds_the_papers_claims_and_finds_and_shrinks_the_false_one()
    {
        var folder = RunQuick("claims", "claims.csv", "runs.csv", "steps.csv");
        var claims = Csv(folder, "claims.csv");
        Assert.Equal(9, claims.RowCount);
        var holds = claims.GetColumn<bool>("holds").Values.ToArray();
        // quick, seed 0: 8 cases each (4 for the network claim). The planted false one fails; so do the eps claim (on 1
        // of 8 here, 17 of 200 in full: eps removes the climb within epochs, not always the sawtooth index) and the
        // network claim (reshuffling does not saw more than a fixed order on these MLPs): experiments/README.md
        Assert.Equal([true, true, true, true, false, true, false, true, false], holds);
        Assert.Equal("a smaller beta2 always saws more (false as usually stated)", claims.GetColumn<string>("claim").GetAt(6));
        Assert.Contains("beta2=", claims.GetColumn<string>("counterexample").GetAt(6));
        Assert.StartsWith("batch=10, seed=0, ", claims.GetColumn<string>("counterexample_choices").GetAt(6));
        Assert.Equal("doubling the batch never increases the sawtooth index", claims.GetColumn<string>("claim").GetAt(7));
        Assert.Contains("layers=", claims.GetColumn<string>("counterexample_choices").GetAt(8));
        Assert.All(claims.GetColumn<int>("seed").Values, seed => Assert.Equal(0, seed));
        Assert.True(File.Exists(Path.Combine(folder, "claims.html")));
        Assert.Equal([0, 1, 2, 3, 4, 5], Csv(folder, "runs.csv").GetColumn<int>("run").Values); // the counterexamples' runs, numbered in turn
    }

    [Fact]
    public void A_claim_that_names_no_seed_draws_from_the_scripts_seed_and_replays_with_it()
    {
        var script = scratch.Write("seeded.csx", """
            Check(Claim.Of("the sawtooth index stays below 0.3",
                Gens.Quadratic(Gens.Adam(beta2: (0.79, 0.81)), Gens.Samplers(Sampler.Shuffle)),
                r => EspMetrics.Of(r.Losses, r.Experiment.StepsPerEpoch).SawtoothIndex < 0.3, cases: 3));
            """);
        string Choices(int seed)
        {
            var folder = Path.Combine(scratch.Folder, $"seed{seed}");
            var line = new CommandLine(script, folder, false, seed, scratch.Cache);
            Assert.Equal(0, ScriptRunner.Run(line, TextWriter.Null, TextWriter.Null).ExitCode);
            var claims = Csv(folder, "claims.csv");
            Assert.Equal(seed, claims.GetColumn<int>("seed").GetAt(0));
            return claims.GetColumn<string>("first_failure_choices").GetAt(0);
        }
        Assert.Equal(Choices(3), Choices(3));
        Assert.NotEqual(Choices(3), Choices(4));
    }

    [Fact]
    public void Wsd_branches_decays_from_one_stable_run_and_the_climb_within_epochs_shrinks_in_the_decay()
    {
        var folder = Path.Combine(scratch.Folder, "wsd_branches");
        var (code, output, err, _) = scratch.Run(Path.Combine(Repository.Root, "experiments", "wsd_branches.csx"), folder, quick: true);
        Assert.True(code == 0, err);
        Assert.Contains("branch from epoch 8 equals the uninterrupted run of its description: True", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("epoch ")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(4, rows.Count);
        double D(string[] row, int k) => double.Parse(row[k], System.Globalization.CultureInfo.InvariantCulture);
        // quick: every branch ends near 0.97 against 1.85 for the stable run; rise 0.52..0.66 stable, 0.01..0.13 decaying
        Assert.All(rows, r => Assert.True(D(r, 2) < 0.7 * D(r, 3), $"decayed {D(r, 2)} vs stable {D(r, 3)}"));
        Assert.All(rows, r => Assert.True(D(r, 11) < 0.5 * D(r, 7), $"rise stable {D(r, 7)}, decaying {D(r, 11)}"));
    }

    [Fact]
    public void Wsd_river_hills_stay_up_at_constant_lr_and_the_decay_removes_them_while_the_parts_sum_to_the_loss()
    {
        var folder = RunQuick("wsd_river", "steps.csv", "runs.csv", "epochs.csv");
        var epochs = Csv(folder, "epochs.csv");
        var runs = epochs.GetColumn<int>("run").Values.ToArray();
        var schedule = epochs.GetColumn<string>("schedule").Values.ToArray();
        double[] Col(string c) => epochs.GetColumn<double>(c).Values.ToArray();
        var (full, river, hill, floor) = (Col("full_loss"), Col("river_loss"), Col("hill_loss"), Col("floor"));
        for (int i = 0; i < full.Length; i++) Assert.Equal(full[i], river[i] + hill[i] + floor[i], 1e-10);
        double LastHill(string s) => Enumerable.Range(0, hill.Length).Where(i => schedule[i] == s && (i + 1 == hill.Length || runs[i + 1] != runs[i])).Average(i => hill[i]);
        // quick: the constant run ends with a hill part of 9.1, WSD with 0.069 (20% decay)
        Assert.True(LastHill("wsd(0,0.2,0)") < 0.05 * LastHill("constant"), $"wsd {LastHill("wsd(0,0.2,0)")}, constant {LastHill("constant")}");
        double FirstRiver = river[0], LastRiver = river[Enumerable.Range(0, river.Length).Last(i => runs[i] == runs[0])];
        Assert.True(LastRiver < FirstRiver, $"the river part falls at constant lr: {FirstRiver} -> {LastRiver}");
    }

    [Fact]
    public void Surge_writes_the_best_lr_per_problem_optimizer_and_batch_size_and_sgds_rises_to_the_exact_one_step_optimum()
    {
        var folder = RunQuick("surge", "optimal_lr.csv", "surge_fits.csv", "steps.csv", "runs.csv");
        Assert.Equal("problem,optimizer,batch_size,optimal_lr", File.ReadLines(Path.Combine(folder, "optimal_lr.csv")).First());
        var optima = Csv(folder, "optimal_lr.csv");
        var rows = Enumerable.Range(0, optima.RowCount).Select(i => (Problem: optima.GetColumn<string>("problem")[i], Optimizer: optima.GetColumn<string>("optimizer")[i],
            Batch: optima.GetColumn<int>("batch_size")[i], Lr: optima.GetColumn<double>("optimal_lr")[i])).ToList();
        Assert.Equal(3 * 3 + 2 * 3, rows.Count); // quick: 3 batch sizes on the quadratic, 2 on the network, 3 optimizers each
        Assert.All(rows, r => Assert.True(r.Lr > 0 && double.IsFinite(r.Lr), $"{r}"));
        double Best(string optimizer, int b) => rows.Single(r => r.Problem == "noisy_quadratic" && r.Optimizer == optimizer && r.Batch == b).Lr;
        // quick: sgd 0.0039, 0.026, 0.078 at B = 1, 16, 256 (exact 0.0025, 0.028, 0.080)
        Assert.True(Best("sgd", 1) < Best("sgd", 16) && Best("sgd", 16) < Best("sgd", 256));
        // at B = 256 the one-step loss varies little from seed to seed: 32 seeds pin the optimum to a few per cent
        var problem = new Esp.NoisyQuadratic();
        Assert.Equal(1, Best("sgd", 256) / problem.OneStepOptimalLr(Esp.SurgeLaw.Sgd, 256), 0.15);
        Assert.Equal(1, Best("adam", 256) / problem.OneStepOptimalLr(Esp.SurgeLaw.Adam, 256), 0.15);
        // Lion's first step is sign(g), as Adam's is (up to eps): the same one-step optimum at every batch size
        foreach (int b in new[] { 1, 16, 256 }) Assert.Equal(1, Best("lion", b) / Best("adam", b), 1e-3);
        var fits = Csv(folder, "surge_fits.csv");
        Assert.Equal(6, fits.RowCount);
        Assert.Equal(problem.Predicted(Esp.SurgeLaw.Sgd).BNoise, fits.GetColumn<double>("analytic_b_noise")[0], 9);
    }

    [Fact]
    public void Wsd_phases_measures_each_runs_stable_and_decay_phase_and_the_decay_flattens_the_quadratics_climb_within_epochs()
    {
        var folder = RunQuick("wsd_phases", "phases.csv", "steps.csv", "runs.csv");
        var phases = Csv(folder, "phases.csv");
        Assert.Equal(2 * 2 * 2 * 2, phases.RowCount); // problems x schedules x seeds x phases
        double Rise(string problem, string schedule, string phase) => Enumerable.Range(0, phases.RowCount)
            .Where(i => phases.GetColumn<string>("problem")[i] == problem && phases.GetColumn<string>("schedule")[i] == schedule && phases.GetColumn<string>("phase")[i] == phase)
            .Average(i => phases.GetColumn<double>("rise_index")[i]);
        // quick: in the decay phase the rise index is 0.42 at constant lr and 0.11 under WSD; equal before the decay
        Assert.True(Rise("quadratic", "wsd(0,0.25,0)", "decay") < 0.5 * Rise("quadratic", "constant", "decay"));
        Assert.Equal(Rise("quadratic", "constant", "stable"), Rise("quadratic", "wsd(0,0.25,0)", "stable"), 12);
    }
}
