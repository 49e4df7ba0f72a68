namespace Esp;

/// <summary>How an epoch's batches are drawn from the N functions (paper section "data order").</summary>
public enum SamplerKind
{
    /// <summary>A fresh random permutation every epoch.</summary>
    Shuffle,
    /// <summary>0..N-1 in order every epoch (no shuffle).</summary>
    Sequential,
    /// <summary>Epoch 0 in order, then the previous epoch's order reversed at every epoch start.</summary>
    Reverse,
    /// <summary>Every step draws its batch of distinct indices at random, independently of other steps.</summary>
    WithReplacement,
}

/// <summary>
/// A sampler description. With N not a multiple of the batch size the last batch of an epoch is partial;
/// DropLast drops it instead (torch's drop_last). WithReplacement draws batches of the same sizes.
/// </summary>
public sealed record Sampler(SamplerKind Kind, bool DropLast = false)
{
    public static readonly Sampler Shuffle = new(SamplerKind.Shuffle);
    public static readonly Sampler Sequential = new(SamplerKind.Sequential);
    public static readonly Sampler Reverse = new(SamplerKind.Reverse);
    public static readonly Sampler WithReplacement = new(SamplerKind.WithReplacement);

    /// <summary>Lower-case name used in result columns: "shuffle", "sequential", "reverse", "with_replacement".</summary>
    public string Name => Kind switch
    {
        SamplerKind.Shuffle => "shuffle",
        SamplerKind.Sequential => "sequential",
        SamplerKind.Reverse => "reverse",
        SamplerKind.WithReplacement => "with_replacement",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown sampler kind"),
    };

    public override string ToString() => DropLast ? Name + " (drop last)" : Name;
}
