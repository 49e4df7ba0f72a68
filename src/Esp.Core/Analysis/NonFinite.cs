namespace Esp;

/// <summary>What a spike rule makes of a NaN or infinite value at a checked step (see <see cref="SpikeRule.NonFinite"/>).</summary>
public enum NonFinite
{
    /// <summary>Never a spike (Esp's rules: a non-finite loss is a divergence, reported as such, not a spike).</summary>
    Ignored,

    /// <summary>Compared like any value: +inf breaks a finite band, NaN and -inf break none (OLMo-core, llm-foundry).</summary>
    Compared,

    /// <summary>Always a spike (Lightning's SpikeDetection with finite_only=True).</summary>
    Spike,
}
