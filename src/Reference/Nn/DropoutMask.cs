using NetNumerics.Nn;

namespace NetNumerics.Reference.Nn;

/// <summary>
/// The dropout mask, shared by the Reference and the Fast model so both drop the same elements.
/// Element <c>e</c> (NCHW index within the sample) of sample <c>s</c> (position within the batch, 0-based)
/// in layer <c>l</c> (index in <see cref="NetworkSpec.Layers"/>) at training step <c>t</c> is kept iff
/// <c>CounterRng.UniformSingle(seed, t * MaxLayers + l, s * sampleLength + e) &gt;= rate</c>.
/// It is a pure function of (seed, step, layer, sample, element): no thread count or evaluation order enters.
/// Kept elements are multiplied by the float <c>1 / (1 - rate)</c> (Keras' inverted dropout).
/// </summary>
internal static class DropoutMask
{
    /// <summary>Streams are step * MaxLayers + layer, so layer indices must stay below this.</summary>
    public const int MaxLayers = NetworkSpec.MaxLayers;

    public static ulong Stream(long step, int layer) => unchecked((ulong)step * MaxLayers + (ulong)layer);

    public static bool Keep(ulong seed, ulong stream, long index, double rate) =>
        CounterRng.UniformSingle(seed, stream, (ulong)index) >= rate;

    /// <summary>The part of CounterRng.Bits that depends only on (seed, stream): Bits(seed, stream, i) = Mix(key + i).</summary>
    public static ulong Key(ulong seed, ulong stream) => CounterRng.Mix(seed ^ CounterRng.Mix(stream));

    /// <summary>Same decision as <see cref="Keep"/> with the (seed, stream) part hoisted out of the loop: UniformSingle = (Mix(key + i) &gt;&gt; 40) 2^-24.</summary>
    public static bool KeepWithKey(ulong key, long index, double rate) =>
        (CounterRng.Mix(key + (ulong)index) >> 40) * (1.0f / (1 << 24)) >= rate;

    public static float Scale(double rate) => 1f / (1f - (float)rate);
}
