namespace Esp;

/// <summary>
/// What the engine records besides each step's batch loss (always recorded, before the update).
/// Per-step columns: grad_norm = ||g_t||; m_norm, v_norm = ||m_t||, ||v_t|| after the update;
/// step_norm = ||dtheta_t||. With TrackedBatch = b (1-based position in the epoch, the paper's b):
/// tracked_loss_before / tracked_loss_after = l^b at theta_t and theta_{t+1}, and the dot products of
/// grad l^b_t with g_t, m_t and dtheta_t (g_dot_tracked, m_dot_tracked, step_dot_tracked).
/// Coordinates adds m_i and v_i columns. BatchLossesAtEpochStart lists (0-based) epochs at whose start
/// the loss of every batch of that epoch is evaluated (paper figure 10b). EpochEndFullLoss records the
/// full-dataset loss after each epoch. GradientSpikeTheta = theta adds grad_spikes: the fraction of coordinates whose
/// gradient is a spike by SPAM's rule, g^2 > theta v (v, the optimizer's second moment, before the step); it needs an
/// optimizer with a second moment (Adam, AdamW, RmsProp, Spam). Extra lists step probes as values
/// (<see cref="StepProbe"/>, e.g. <c>Extra: [new CosineGradMomentum()]</c>), each adding its own columns; they run on the
/// tensor path.
/// </summary>
public sealed record Probes(
    bool GradNorm = false,
    bool MomentNorms = false,
    bool StepNorm = false,
    int? TrackedBatch = null,
    ValueList<int> Coordinates = default,
    ValueList<int> BatchLossesAtEpochStart = default,
    bool EpochEndFullLoss = false,
    double? GradientSpikeTheta = null,
    ValueList<StepProbe> Extra = default)
{
    public static readonly Probes None = new();

    /// <summary>Every per-step norm and tracked-batch probe, with batch b = <paramref name="trackedBatch"/>.</summary>
    public static Probes All(int trackedBatch) =>
        new(GradNorm: true, MomentNorms: true, StepNorm: true, TrackedBatch: trackedBatch, EpochEndFullLoss: true);
}
