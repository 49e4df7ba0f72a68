using Esp;

/// <summary>The benchmark's grids, the same as bench/numpy_baseline.py's GRIDS: the paper's problem at full size.</summary>
static class Grids
{
    public static readonly QuadraticProblem Paper = new();

    /// <summary>Figure 19: 4 samplers x beta2 in {0.999, 0.8}, 8 runs.</summary>
    public static readonly IReadOnlyList<Experiment> Fig19 =
        (from sampler in new[] { Sampler.Shuffle, Sampler.Sequential, Sampler.Reverse, Sampler.WithReplacement }
         from beta2 in new[] { 0.999, 0.8 }
         select new Experiment(Paper, new Adam(Beta2: beta2), sampler)).ToList();

    /// <summary>8 beta2 x 4 eps x 8 seeds, shuffled: 256 runs.</summary>
    public static readonly IReadOnlyList<Experiment> Grid256 =
        (from beta2 in new[] { 0.999, 0.99, 0.95, 0.9, 0.85, 0.8, 0.79, 0.78 }
         from eps in new[] { 1e-8, 1e-6, 1e-4, 1e-2 }
         from seed in Enumerable.Range(0, 8)
         select new Experiment(Paper, new Adam(Beta2: beta2, Eps: eps), Sampler.Shuffle, Seed: seed)).ToList();
}
