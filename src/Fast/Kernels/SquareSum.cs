using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// Sum of (double)x_i^2 over a span in a fixed order that depends on neither the vector width cap nor the thread count:
/// two Vector256&lt;double&gt; accumulators (8 partial sums, element i in partial i mod 8 of each run of 8), added pairwise
/// at the end, then the tail left to right; float elements are widened first, so their squares are exact. Where
/// Vector256 is not accelerated, the same 8 partial sums in scalar code (same bits). Any order of n non-negative terms
/// is within gamma_n of the exact sum, as the left-to-right sum is (Higham, <i>Accuracy and Stability</i>, 2nd ed., s. 4.2).
/// </summary>
internal static class SquareSum
{
    public static double Of<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Of(MemoryMarshal.Cast<T, float>(x));
        if (typeof(T) == typeof(double)) return Of(MemoryMarshal.Cast<T, double>(x));
        throw new NotSupportedException($"sums of squares of {typeof(T).Name} are not supported; use float or double.");
    }

    static double Of(ReadOnlySpan<float> x)
    {
        int i = 0;
        var a0 = Vector256<double>.Zero; var a1 = a0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - 8; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                a0 += lo * lo;
                a1 += hi * hi;
            }
            return Finish(a0 + a1, x, i);
        }
        return Scalar(x);
    }

    static double Of(ReadOnlySpan<double> x)
    {
        int i = 0;
        var a0 = Vector256<double>.Zero; var a1 = a0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double r = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - 8; i += 8)
            {
                var lo = Vector256.LoadUnsafe(ref r, (nuint)i);
                var hi = Vector256.LoadUnsafe(ref r, (nuint)i + 4);
                a0 += lo * lo;
                a1 += hi * hi;
            }
            return Finish(a0 + a1, x, i);
        }
        return Scalar(x);
    }

    /// <summary>The same 8 partial sums in scalar code, where Vector256 is not accelerated (same bits; tests call it on any machine).</summary>
    internal static double Scalar<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        Span<double> s = stackalloc double[8];
        for (; i <= x.Length - 8; i += 8)
            for (int k = 0; k < 8; k++) { double d = double.CreateTruncating(x[i + k]); s[k] += d * d; }
        return Finish(Vector256.Create(s[0] + s[4], s[1] + s[5], s[2] + s[6], s[3] + s[7]), x, i);
    }

    /// <summary>The 4 lanes as (l0 + l1) + (l2 + l3), then x[i..] left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Finish<T>(Vector256<double> lanes, ReadOnlySpan<T> x, int i) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = (lanes.GetElement(0) + lanes.GetElement(1)) + (lanes.GetElement(2) + lanes.GetElement(3));
        for (; i < x.Length; i++) { double d = double.CreateTruncating(x[i]); sum += d * d; }
        return sum;
    }
}
