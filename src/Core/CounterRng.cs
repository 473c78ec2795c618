namespace NetNumerics;

/// <summary>
/// Counter-based random numbers: every draw is a pure function of (seed, stream, index), so the
/// same seed gives the same bits whatever order or thread computes them. Used for dropout masks,
/// shuffles and initialisers in both the Reference and the Fast path, so the two paths see the
/// same randomness. Mixing is SplitMix64 (Steele, Lea, Flood 2014), applied twice.
/// </summary>
public static class CounterRng
{
    /// <summary>
    /// The SplitMix64 output function (Steele, Lea, Flood 2014; the constants of <c>java.util.SplittableRandom</c>):
    /// add the golden-ratio increment 0x9E3779B97F4A7C15, then two xor-shift-multiply rounds and a final xor-shift.
    /// A bijection on 64-bit values, so distinct inputs never collide.
    /// </summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 random bits for element <paramref name="index"/> of stream <paramref name="stream"/>.</summary>
    public static ulong Bits(ulong seed, ulong stream, ulong index) => Mix(Mix(seed ^ Mix(stream)) + index);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public static double Uniform(ulong seed, ulong stream, ulong index) =>
        (Bits(seed, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public static float UniformSingle(ulong seed, ulong stream, ulong index) =>
        (Bits(seed, stream, index) >> 40) * (1.0f / (1 << 24));
}
