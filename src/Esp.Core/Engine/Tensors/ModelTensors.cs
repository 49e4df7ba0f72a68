using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// What every model run on the tensor path holds, whatever it trains on (a network on a dataset, BERT on text
/// pairs, a script's own problem): theta [1, D] from the layout's initialisation drawn from the run's seed, a dropout generator of the run's
/// own (its state is the checkpointed random state), the weight-decay mask, and views of theta by segment name.
/// The training data are shared with other runs (<see cref="DeviceData"/>), so only the mask and generator are disposed.
/// </summary>
abstract class ModelTensors : ITensorProblem
{
    readonly int seed;

    protected ModelTensors(ParamLayout layout, Experiment x, DecayOn decayOn, Device device, ScalarType type)
    {
        (Layout, Device, Type, seed) = (layout, device, type, x.Seed);
        Dropout = new Dropout(new Generator(Rng.For(x.Seed, "dropout").NextUInt64(), device));
        DecayMask = decayOn == DecayOn.WeightsOnly
            ? tensor(layout.Mask(s => s.Decay), dtype: type, device: device).DetachFromDisposeScope() : null;
    }

    protected ParamLayout Layout { get; }
    protected Device Device { get; }
    protected ScalarType Type { get; }
    protected Dropout Dropout { get; }

    public Tensor? DecayMask { get; }

    public Tensor? RandomState
    {
        get => Dropout.Generator.get_state();
        set => Dropout.Generator.set_state(value!);
    }

    public virtual Tensor InitialTheta() => Theta(Layout.Initial(Rng.For(seed, "init")));

    /// <summary><paramref name="values"/> as theta [1, D].</summary>
    protected Tensor Theta(double[] values) => tensor(values, [1, values.Length], dtype: Type, device: Device);

    /// <summary>One run's parameters [D] by segment name, as views.</summary>
    protected Func<string, Tensor> Views(Tensor parameters) => name => Layout.View(parameters, name);

    public abstract ITensorEpoch Epoch(int[][][] batches);
    public abstract Tensor FullLoss(Tensor theta);
    public abstract double[][] EpochValues(Tensor theta);

    public void Dispose()
    {
        DecayMask?.Dispose();
        Dropout.Generator.Dispose();
    }
}
