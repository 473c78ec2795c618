using System.Numerics;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Parameters, gradients and learning rates drawn from a seed with the library's counter-based generator
/// (<see cref="CounterRng"/>): element i of stream s is a function of (seed, s, i) alone, so a property draws only the seed
/// from FsCheck and gets tens of thousands of values per step without generating them one by one. These are the typical
/// inputs of the laws (finite, 1e-3 .. 1e3, some exact zeros of both signs); the whole float range is drawn by the kit's
/// FloatGen in the Fast == Reference properties.
/// </summary>
static class SeededInputs
{
    /// <summary>A random finite value: sign, magnitude over several decades, some exact zeros of both signs.</summary>
    public static T Value<T>(ulong seed, ulong stream, ulong index) where T : IFloatingPointIeee754<T>
    {
        ulong bits = CounterRng.Bits(seed, stream, index);
        if (bits % 23 == 0) return (bits & 0x100) == 0 ? T.Zero : T.NegativeZero;
        double u = CounterRng.Uniform(seed, stream + 1000, index) * 2 - 1;
        double scale = Math.Pow(10, (int)(bits % 7) - 3);   // 1e-3 .. 1e3
        return T.CreateTruncating(u * scale);
    }

    /// <summary>n values of one stream (<see cref="Value{T}"/> at indices 0..n-1).</summary>
    public static T[] Values<T>(int n, ulong seed, ulong stream) where T : IFloatingPointIeee754<T>
    {
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = Value<T>(seed, stream, (ulong)i);
        return a;
    }

    /// <summary>Learning rate for a step: 0 sometimes, else 10^[-4, 0].</summary>
    public static double LearningRate(ulong seed, int step)
    {
        double u = CounterRng.Uniform(seed, 77, (ulong)step);
        return u < 0.05 ? 0 : Math.Pow(10, -4 + 4 * u);
    }
}
