using static TorchSharp.torch;

/// <summary>An optimizer written outside Esp (only Init and its state) runs without further ado.</summary>
public class NewOptimizerTests
{
    /// <summary>Sign descent: dtheta = -lr sign(g), as a user would write it in a script.</summary>
    internal sealed record SignDescent(double Lr = 0.01) : Optimizer(Lr)
    {
        public override string Name => "sign_descent";
        public override IEnumerable<string> Errors() => LrErrors();
        public override IEnumerable<(string, object)> Settings() => [("optimizer", Name), ("lr", Lr)];
        public override OptimizerState Init(Tensor param) =>
            param.dim() == 1 ? new State() : throw new ArgumentException($"one run's parameters are [D], got [{string.Join(", ", param.shape)}]");

        sealed class State : OptimizerState
        {
            public override Tensor Step(Tensor grad, Tensor param, IReadOnlyList<double> lr)
            {
                if (grad.dim() != 1 || lr.Count != 1) throw new ArgumentException("a one-run state gets [D] tensors and one lr");
                using var k = new Scalars();
                StepCount++;
                return grad.sign().mul_(k[-lr[0]]);
            }

            protected override IEnumerable<IDisposable> Buffers() => [];
        }
    }

    static readonly QuadraticProblem Small = new(N: 120, D: 40);

    [Fact]
    public void It_runs_on_the_tensor_path_one_run_per_batch_and_moves_each_visited_coordinate_by_lr()
    {
        var sign = new Experiment(Small, new SignDescent(0.01), Sampler.Sequential, Epochs: 4, BatchSize: 120);
        var grid = new[] { sign, sign with { Seed = 1 }, sign with { Optimizer = new Adam() } };

        var batches = BatchPlan.Make(grid, EngineOptions.Default);
        Assert.Equal([(Backend.Tensors, new[] { 0 }), (Backend.Tensors, [1]), (Backend.Fused, [2])],
            batches.Select(b => (b.Backend, b.Indices.ToArray())));

        var results = Engine.Run(grid);
        Assert.All(results.RunRecords, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(results.RunRecords[2].Losses[0], results.RunRecords[0].Losses[0], 1e-12); // same data, same start

        // One batch of all N functions per step: every coordinate with a function moves by exactly lr towards
        // its minimiser while x is far from it (x0 = 3, minimisers in [-1, 1]), so the loss follows by hand.
        var data = QuadraticData.Draw(Small, 0);
        double Loss(double x) => Enumerable.Range(0, Small.N).Average(i => data.A[i] * Math.Pow(x - data.C[i], 2) + data.B[i]);
        Assert.Equal([Loss(3), Loss(2.99), Loss(2.98), Loss(2.97)], results.RunRecords[0].Losses, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Asking_the_fused_backend_for_it_is_an_error_before_any_compute()
    {
        var x = new Experiment(Small, new SignDescent(), Sampler.Shuffle, Epochs: 4, BatchSize: 20);
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run([x], options: new EngineOptions(Backend: Backend.Fused)));
        Assert.Contains("experiment 0: EngineOptions.Backend = Fused has no fused update for SignDescent: use Backend.Auto or Tensors", e.Message);
    }
}
