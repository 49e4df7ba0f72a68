namespace Esp;

/// <summary>
/// Steps run number Run (description X) has just taken, as the engine reports them for progress: every few steps within epochs, so a long
/// epoch is not silent. Replayed steps are those a resumed run took before its checkpoint: done, but not computed now,
/// so a progress estimate counts them without timing them.
/// </summary>
public readonly record struct StepsDone(int Run, Experiment X, int Steps, bool Replayed = false);
