namespace Esp;

/// <summary>
/// The order in which a sampler visits the N functions, epoch by epoch. Pure given the sampler's random
/// stream, so tests can replay exactly the batches the engine used.
/// </summary>
public sealed class SampleOrder(Sampler sampler, int n, int batchSize, Rng rng)
{
    int[] previous = [];
    bool[]? taken; // with replacement: which functions the batch being drawn holds already

    /// <summary>The batches of epoch <paramref name="epoch"/>; call once per epoch, in order from epoch 0.</summary>
    public int[][] NextEpoch(int epoch)
    {
        int[] order = sampler.Kind switch
        {
            SamplerKind.Shuffle => Shuffled(),
            SamplerKind.Sequential => Identity(),
            SamplerKind.Reverse => epoch == 0 ? Identity() : previous.Reverse().ToArray(),
            SamplerKind.WithReplacement => [],
            _ => throw new ArgumentOutOfRangeException(nameof(sampler), sampler.Kind, "unknown sampler"),
        };
        previous = order;
        var sizes = BatchSizes();
        return sampler.Kind == SamplerKind.WithReplacement
            ? sizes.Select(DistinctDraw).ToArray()
            : sizes.Select((size, k) => order.AsSpan(k * batchSize, size).ToArray()).ToArray();
    }

    IEnumerable<int> BatchSizes()
    {
        int full = n / batchSize, rest = n % batchSize;
        var sizes = Enumerable.Repeat(batchSize, full);
        return rest > 0 && !sampler.DropLast ? sizes.Append(rest) : sizes;
    }

    int[] Identity() => Enumerable.Range(0, n).ToArray();

    int[] Shuffled()
    {
        var order = Identity();
        rng.Shuffle(order);
        return order;
    }

    // size distinct indices by rejection: cheap while the batch is a small part of N, as it is in practice
    int[] DistinctDraw(int size)
    {
        taken ??= new bool[n];
        var batch = new int[size];
        for (int k = 0; k < size; k++)
        {
            int i;
            do i = rng.NextInt(n); while (taken[i]);
            taken[i] = true;
            batch[k] = i;
        }
        foreach (int i in batch) taken[i] = false;
        return batch;
    }
}
