namespace NetNumerics.Training;

/// <summary>
/// The order in which an epoch visits the training samples: a Fisher-Yates shuffle whose draws come
/// from <see cref="CounterRng"/>, so the permutation is a pure function of (seed, epoch, count). A run
/// resumed at epoch k therefore sees the same order as the uninterrupted run, with no RNG state to save.
/// </summary>
public static class EpochShuffle
{
    /// <summary>Stream id of the shuffle draws ("Shuf" in ASCII, epoch in the low half), kept apart from dropout streams.</summary>
    public static ulong Stream(int epoch) => (0x53687566UL << 32) | (uint)epoch;

    /// <summary>A permutation of 0..count-1 for this (seed, epoch).</summary>
    public static int[] Permutation(ulong seed, int epoch, int count)
    {
        var order = new int[count];
        Fill(seed, epoch, order);
        return order;
    }

    /// <summary>Writes the permutation of 0..order.Length-1 for this (seed, epoch) into <paramref name="order"/>.</summary>
    public static void Fill(ulong seed, int epoch, Span<int> order)
    {
        Guard.NonNegative(epoch, nameof(epoch));
        for (int i = 0; i < order.Length; i++) order[i] = i;
        ulong stream = Stream(epoch);
        // Fisher-Yates (Knuth, TAOCP vol. 2, Algorithm P), from the top: swap i with j uniform in [0, i].
        // j = floor(bits * (i + 1) / 2^64) (Lemire's multiply-shift); its bias is below (i+1)/2^64.
        for (int i = order.Length - 1; i > 0; i--)
        {
            ulong bits = CounterRng.Bits(seed, stream, (ulong)i);
            int j = (int)Math.BigMul(bits, (ulong)(i + 1), out _);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
