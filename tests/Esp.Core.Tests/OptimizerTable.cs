/// <summary>
/// Every optimizer Esp has, once, as the tests iterate them: one description per update kernel worth telling apart,
/// and where its numbers are checked against an outside reference. A new optimizer is one row here
/// (<see cref="OptimizerTableTests"/> fails until it is added).
/// </summary>
static class OptimizerTable
{
    public sealed record Row(string Name, Optimizer Optimizer, string Reference);

    public static readonly IReadOnlyList<Row> Rows =
    [
        new("adam", new Adam(Beta2: 0.8), "torch.optim.Adam (OptimizerParityTests)"),
        new("adam with weight decay", new Adam(Beta2: 0.9, WeightDecay: 0.01), "torch.optim.Adam (OptimizerParityTests)"),
        new("adamw", new AdamW(Beta2: 0.9, WeightDecay: 0.05), "torch.optim.AdamW (OptimizerParityTests)"),
        new("rmsprop", new RmsProp(Beta: 0.9), "torch.optim.RMSprop (OptimizerParityTests)"),
        new("rmsprop centered with momentum", new RmsProp(Lr: 0.01, Beta: 0.9, Momentum: 0.5, Centered: true), "torch.optim.RMSprop (OptimizerParityTests)"),
        new("sgd", new Sgd(Lr: 0.1), "torch.optim.SGD (OptimizerParityTests)"),
        new("sgd nesterov", new Sgd(Lr: 0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01), "torch.optim.SGD (OptimizerParityTests)"),
        new("spam", new Spam(Lr: 0.01, DeltaT: 40, WarmupSteps: 10, ClipAfter: 5), "the authors' code (SpamReferenceTests)"),
        new("lion", new Lion(Lr: 0.003, WeightDecay: 0.1), "the authors' code (LionReferenceTests)"),
    ];

    public static TheoryData<string> Names => new(Rows.Select(r => r.Name));

    public static Optimizer Get(string name) => Rows.Single(r => r.Name == name).Optimizer;
}
