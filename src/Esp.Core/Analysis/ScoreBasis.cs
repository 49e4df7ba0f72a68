namespace Esp;

/// <summary>What a series' spike score is (see <see cref="SpikeRule.Score(int, int)"/>).</summary>
public enum ScoreBasis
{
    /// <summary>Esp's: the percentage of the steps after the first window that are spikes (NaN for a series no longer than the window).</summary>
    PercentAfterWindow,

    /// <summary>OLMo-core's "spike/SpikeScore (total)": spikes over all steps, first window included, as a fraction
    /// (NaN for a series shorter than the window, where OLMo-core reports none).</summary>
    FractionOfAllSteps,
}
