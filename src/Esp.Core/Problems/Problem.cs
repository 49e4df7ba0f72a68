using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// What a run trains: N examples that a <see cref="Sampler"/> orders into batches, and D parameters, all of a
/// run's parameters being one flat vector theta (a network's weights are named views of it, see
/// <see cref="ParamLayout"/>). Every optimizer, probe and metric works on theta and its gradient, so it works
/// unchanged for every problem. The problem owns its result columns, its validation and its memory estimate;
/// the engine does not know which problem it runs.
/// </summary>
public abstract record Problem
{
    // Named apart from the problems' own N, D and Precision so that those stay settable with `with`; internal, so
    // that a description prints only its own fields.

    /// <summary>Examples (functions, images, rows) a sampler visits in an epoch: a quadratic problem's N.</summary>
    internal abstract int Examples { get; }

    /// <summary>Parameters: the length of theta (a quadratic problem's D).</summary>
    internal abstract int Parameters { get; }

    /// <summary>The element type the problem computes in.</summary>
    internal abstract Precision ElementPrecision { get; }

    /// <summary>Validation errors in the user's terms (field, value, fix) that the description itself shows, read
    /// from no file: a description is checked, printed and compared without reading data or loading libtorch.</summary>
    public abstract IEnumerable<string> Errors();

    /// <summary>The prepare step, once <see cref="Errors"/> are none: reads the data (a corpus, a CSV) and returns the
    /// errors only the data can show. <see cref="Examples"/> may read the data, so it is asked after this.</summary>
    internal virtual IEnumerable<string> DataErrors() => [];

    /// <summary>The settings that identify this problem, as result columns.</summary>
    public abstract IEnumerable<(string Column, object Value)> Settings();

    /// <summary>Runs that share a key can step together as one [runs, D] computation; null: each run alone.</summary>
    internal abstract object? BatchKey { get; }

    /// <summary>Approximate bytes one run holds on the tensor path (its recorded columns excluded).</summary>
    internal abstract long TensorBytesPerRun(Experiment x);

    /// <summary>The engine's side of a batch of runs of this problem (all sharing <see cref="BatchKey"/>).</summary>
    internal abstract ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type);

    /// <summary>
    /// The relative cost of one step at <paramref name="batchSize"/>, for balancing shards (<see cref="Shard"/>): a
    /// step touches the batch's examples and makes one pass over theta. A network overrides it (every example
    /// passes through every weight).
    /// </summary>
    internal virtual double StepCost(int batchSize) => (double)Parameters + batchSize;

    /// <summary>Why the problem keeps weight decay off some parameters, and how to do without that; null: decay applies to
    /// all. The optimizer must then honour a decay mask (<see cref="Optimizer.MasksDecay"/>).</summary>
    internal virtual (string Why, string Fix)? MaskedDecay => null;

    /// <summary>Whether the fused CPU path (<see cref="FusedRun"/>) can run it: the quadratic problem only.</summary>
    internal virtual bool HasFusedPath => false;

    /// <summary>Per-step columns the problem reports besides the loss (BERT: the masked-LM and next-sentence parts, and
    /// validation every plot_every steps; a step without a value records NaN).</summary>
    internal virtual IReadOnlyList<string> ReportedColumns => [];

    /// <summary>Setting columns that follow from the others (a label summing up hyperparameter columns, N counted from the
    /// data, D from the model): a figure's legend never names them.</summary>
    internal virtual IReadOnlyList<string> DerivedSettings => [];

    /// <summary>Per-epoch columns besides full_loss that every run of this problem records (e.g. validation).</summary>
    internal virtual IReadOnlyList<string> EpochColumns => [];
}
