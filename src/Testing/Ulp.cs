using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetNumerics.Testing;

/// <summary>
/// Distance between floating-point values in units in the last place, defined by the ordered integer
/// representation: reading the bits of a value as sign and magnitude, <c>ordinal(x) = magnitude</c> for
/// x &gt;= +0 and <c>-magnitude</c> (or <c>-magnitude - 1</c> under <see cref="SignedZeroPolicy.Distinct"/>)
/// for negative x, so consecutive representable values have consecutive ordinals and
/// <c>Distance(a, b) = |ordinal(a) - ordinal(b)|</c>. Infinity is one step past the largest finite value;
/// NaN follows the <see cref="NanPolicy"/>. Supports <see cref="float"/>, <see cref="double"/> and <see cref="Half"/>.
/// This is the metric of numpy's <c>nulp_diff</c> / <c>assert_array_max_ulp</c>, with the NaN and zero rules explicit.
/// </summary>
public static class Ulp
{
    /// <summary>The distance reported for a pair that can never match (a NaN against a number, or two NaNs whose bits differ under <see cref="NanPolicy.PayloadExact"/>).</summary>
    public const ulong Infinite = ulong.MaxValue;

    /// <summary>
    /// The number of representable values one steps through from <paramref name="a"/> to <paramref name="b"/>
    /// (0 when they are the same point under the policies); <see cref="Infinite"/> when a NaN cannot match.
    /// Symmetric, zero only for equal points, and it satisfies the triangle inequality.
    /// </summary>
    /// <exception cref="NotSupportedException">T is not float, double or Half.</exception>
    public static ulong Distance<T>(T a, T b, NanPolicy nan = NanPolicy.AnyNanEqual, SignedZeroPolicy zero = SignedZeroPolicy.Equal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool aNan = T.IsNaN(a), bNan = T.IsNaN(b);
        if (aNan || bNan)
        {
            if (!(aNan && bNan)) return Infinite;
            return nan == NanPolicy.AnyNanEqual || Bits(a) == Bits(b) ? 0 : Infinite;
        }
        long oa = Ordinal(a, zero), ob = Ordinal(b, zero);
        return oa >= ob ? unchecked((ulong)oa - (ulong)ob) : unchecked((ulong)ob - (ulong)oa);
    }

    /// <summary>
    /// The gap between consecutive representable values in the binade of <paramref name="x"/>:
    /// <c>2^(max(e, e_min) - p + 1)</c> for <c>2^e &lt;= |x| &lt; 2^(e+1)</c> (Goldberg's ulp; the smallest subnormal for
    /// zeros and subnormals). +Infinity for infinities, NaN for NaN. Exact in T.
    /// </summary>
    /// <exception cref="NotSupportedException">T is not float, double or Half.</exception>
    public static T Spacing<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _ = Width<T>();
        if (T.IsNaN(x)) return x;
        if (T.IsInfinity(x)) return T.PositiveInfinity;
        T a = T.Abs(x);
        return a == MaxFinite<T>() ? a - T.BitDecrement(a) : T.BitIncrement(a) - a;
    }

    /// <summary>
    /// The value <paramref name="steps"/> representable values above (steps &gt; 0) or below <paramref name="x"/>
    /// in the order of <see cref="Distance{T}"/> with <see cref="SignedZeroPolicy.Equal"/> (-0 is not a separate step:
    /// stepping from -epsilon by one gives +0). Saturates at -Infinity and +Infinity; NaN stays NaN.
    /// <c>Distance(x, Offset(x, k)) == |k|</c> whenever the result is not saturated.
    /// </summary>
    /// <exception cref="NotSupportedException">T is not float, double or Half.</exception>
    public static T Offset<T>(T x, long steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _ = Width<T>();
        if (T.IsNaN(x)) return x;
        long o = Ordinal(x, SignedZeroPolicy.Equal), limit = InfinityMagnitude<T>();
        Int128 target = Int128.Clamp((Int128)o + steps, -limit, limit);
        return FromOrdinal<T>((long)target);
    }

    /// <summary>The raw bits of a float, double or Half, zero-extended.</summary>
    internal static ulong Bits<T>(T x) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return BitConverter.SingleToUInt32Bits(Unsafe.As<T, float>(ref x));
        if (typeof(T) == typeof(double)) return BitConverter.DoubleToUInt64Bits(Unsafe.As<T, double>(ref x));
        if (typeof(T) == typeof(Half)) return BitConverter.HalfToUInt16Bits(Unsafe.As<T, Half>(ref x));
        throw Unsupported<T>();
    }

    /// <summary>The bits as hexadecimal with the type's own width: 0x3F800000 for 1f.</summary>
    internal static string Hex<T>(T x) where T : unmanaged => "0x" + Bits(x).ToString("X" + Width<T>() / 4);

    /// <summary>Bit width of T (16, 32 or 64).</summary>
    internal static int Width<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? 32 : typeof(T) == typeof(double) ? 64 : typeof(T) == typeof(Half) ? 16 : throw Unsupported<T>();

    static long InfinityMagnitude<T>() where T : unmanaged, IFloatingPointIeee754<T> => (long)Bits(T.PositiveInfinity);

    static T MaxFinite<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.BitDecrement(T.PositiveInfinity);

    static long Ordinal<T>(T x, SignedZeroPolicy zero) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong bits = Bits(x);
        int width = Width<T>();
        ulong sign = 1UL << (width - 1);
        long magnitude = (long)(bits & (sign - 1));
        if ((bits & sign) == 0) return magnitude;
        return zero == SignedZeroPolicy.Equal ? -magnitude : -magnitude - 1;
    }

    static T FromOrdinal<T>(long ordinal) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong bits = ordinal >= 0 ? (ulong)ordinal : (1UL << (Width<T>() - 1)) | (ulong)-ordinal;
        if (typeof(T) == typeof(float)) { float f = BitConverter.UInt32BitsToSingle((uint)bits); return Unsafe.As<float, T>(ref f); }
        if (typeof(T) == typeof(double)) { double d = BitConverter.UInt64BitsToDouble(bits); return Unsafe.As<double, T>(ref d); }
        Half h = BitConverter.UInt16BitsToHalf((ushort)bits);
        return Unsafe.As<Half, T>(ref h);
    }

    static NotSupportedException Unsupported<T>() =>
        new($"NetNumerics.Testing supports float, double and Half, but was given {typeof(T).Name}.");
}
