namespace Esp;

/// <summary>
/// The numbers one example's forward pass leaves in memory, for the memory estimate: Kept, every intermediate the
/// forward makes (the engine holds each until the step's dispose scope ends, and autograd saves most of them for the
/// backward pass anyway), and Widest, the largest single one (the backward pass holds about two gradients of that
/// size at once, beside what the forward kept). Measured against the process's peak memory by MemoryEstimateTests.
/// </summary>
readonly record struct ActivationCount(long Kept, long Widest)
{
    /// <summary>Bytes a training step of <paramref name="batch"/> examples holds: the forward's intermediates and the backward's two widest gradients.</summary>
    public long TrainingBytes(long batch, long elementSize) => batch * (Kept + 2 * Widest) * elementSize;

    /// <summary>Bytes an evaluation chunk of <paramref name="examples"/> holds (no backward pass).</summary>
    public long EvaluationBytes(long examples, long elementSize) => examples * Kept * elementSize;

    /// <summary>How many examples an evaluation (validation, the full loss) passes forward at once: at most
    /// <paramref name="most"/>, fewer where their activations would pass 2^26 numbers (256 MiB in float32), so that a
    /// wide model's evaluation does not outgrow its training step. It depends on the model alone, never on the machine,
    /// since the chunks split the float sums.</summary>
    public int EvaluationChunk(int most) => (int)Math.Clamp((1L << 26) / Math.Max(1, Kept), 1, most);

    /// <summary>The count of a forward that gathers <paramref name="input"/> numbers of data (never differentiated) and
    /// computes intermediates of these sizes (numbers per example).</summary>
    public static ActivationCount Of(long input, IEnumerable<long> computed)
    {
        var sizes = computed.ToList();
        return new ActivationCount(input + sizes.Sum(), sizes.DefaultIfEmpty(0).Max());
    }
}
