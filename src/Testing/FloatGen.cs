using System.Numerics;
using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;

namespace NetNumerics.Testing;

/// <summary>
/// FsCheck generators of float, double and Half values by IEEE class, over all bit patterns, near a boundary and
/// on dyadic grids, and a shrinker towards simple values. Magnitudes of normal numbers are drawn with a uniform
/// exponent, so every binade from the smallest normal to the largest finite value is equally likely.
/// </summary>
public static class FloatGen
{
    /// <summary>Values of one class, of either sign (uniform exponent and fraction for normals, uniform fraction for subnormals, random NaN payloads).</summary>
    /// <exception cref="NotSupportedException">T is not float, double or Half.</exception>
    public static Gen<T> OfClass<T>(FloatClass floatClass) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (eBits, fBits) = Layout<T>();
        ulong eMax = (1UL << eBits) - 1, fMask = (1UL << fBits) - 1, quiet = 1UL << (fBits - 1);
        Gen<T> Build(Gen<ulong> exponent, Gen<ulong> fraction) =>
            from s in Gen.Elements(0UL, 1UL)
            from e in exponent
            from f in fraction
            select FromBits<T>(s << (eBits + fBits) | e << fBits | f);
        Gen<ulong> fractions = Uniform64().Select(x => x & fMask);
        return floatClass switch
        {
            FloatClass.Normal => Build(Gen.Choose(1, (int)eMax - 1).Select(e => (ulong)e), fractions),
            FloatClass.Subnormal => Build(Gen.Constant(0UL), fractions.Where(f => f != 0)),
            FloatClass.Zero => Build(Gen.Constant(0UL), Gen.Constant(0UL)),
            FloatClass.Infinity => Build(Gen.Constant(eMax), Gen.Constant(0UL)),
            FloatClass.QuietNaN => Build(Gen.Constant(eMax), fractions.Select(f => f | quiet)),
            FloatClass.SignalingNaN => Build(Gen.Constant(eMax), fractions.Select(f => f & ~quiet).Where(f => f != 0)),
            _ => throw new ArgumentOutOfRangeException(nameof(floatClass), floatClass,
                $"floatClass must be one of [{string.Join(", ", Enum.GetNames<FloatClass>())}], but was {(int)floatClass}."),
        };
    }

    /// <summary>
    /// Every class, weighted so properties see all of them often: normal 60%, subnormal 10%, zero 10%,
    /// infinity 8%, quiet NaN 7%, signalling NaN 5%.
    /// </summary>
    public static Gen<T> AnyClass<T>() where T : unmanaged, IFloatingPointIeee754<T> => Gen.Frequency(
        (60, OfClass<T>(FloatClass.Normal)), (10, OfClass<T>(FloatClass.Subnormal)), (10, OfClass<T>(FloatClass.Zero)),
        (8, OfClass<T>(FloatClass.Infinity)), (7, OfClass<T>(FloatClass.QuietNaN)), (5, OfClass<T>(FloatClass.SignalingNaN)));

    /// <summary>Finite values only: normal, subnormal and zero (80 / 10 / 10).</summary>
    public static Gen<T> Finite<T>() where T : unmanaged, IFloatingPointIeee754<T> => Gen.Frequency(
        (80, OfClass<T>(FloatClass.Normal)), (10, OfClass<T>(FloatClass.Subnormal)), (10, OfClass<T>(FloatClass.Zero)));

    /// <summary>
    /// Normal values of either sign whose unbiased exponent is uniform in [<paramref name="minExponent"/>, <paramref name="maxExponent"/>]
    /// (so <c>2^minExponent &lt;= |x| &lt; 2^(maxExponent + 1)</c>), with a uniform fraction.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or outside T's normal exponents.</exception>
    public static Gen<T> InBinades<T>(int minExponent, int maxExponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (eBits, fBits) = Layout<T>();
        int bias = (1 << (eBits - 1)) - 1;
        if (minExponent > maxExponent || minExponent < 1 - bias || maxExponent > bias)
            throw new ArgumentOutOfRangeException(nameof(minExponent), minExponent,
                $"the exponents must satisfy {1 - bias} <= minExponent <= maxExponent <= {bias} for {typeof(T).Name}, but were {minExponent} and {maxExponent}.");
        ulong fMask = (1UL << fBits) - 1;
        return from s in Gen.Elements(0UL, 1UL)
               from e in Gen.Choose(minExponent + bias, maxExponent + bias)
               from f in Uniform64()
               select FromBits<T>(s << (eBits + fBits) | (ulong)e << fBits | (f & fMask));
    }

    /// <summary>
    /// Values whose sums and pairwise products cannot overflow in float or double for any length up to 2^20: normals with exponents
    /// in [-emax/4, emax/4] (float: 2^-31 .. 2^32) 90%, subnormals 5%, zeros 5%. The default for reductions.
    /// </summary>
    public static Gen<T> Moderate<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (eBits, _) = Layout<T>();
        int quarter = ((1 << (eBits - 1)) - 1) / 4;
        return Gen.Frequency((90, InBinades<T>(-quarter, quarter)), (5, OfClass<T>(FloatClass.Subnormal)), (5, OfClass<T>(FloatClass.Zero)));
    }

    /// <summary>Uniform over all bit patterns of T (for float about 0.4% are NaN; most values are huge or tiny).</summary>
    public static Gen<T> AllBits<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Ulp.Width<T>();
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        return Uniform64().Select(b => FromBits<T>(b & mask));
    }

    /// <summary>
    /// Values within <paramref name="maxUlps"/> representable steps of <paramref name="boundary"/> on either side
    /// (<see cref="Ulp.Offset{T}"/>, saturating at the infinities): the values where a kernel's branch, overflow or
    /// rounding changes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">maxUlps is negative.</exception>
    public static Gen<T> Near<T>(T boundary, int maxUlps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (maxUlps < 0) throw new ArgumentOutOfRangeException(nameof(maxUlps), maxUlps, $"maxUlps must be >= 0, but was {maxUlps}.");
        _ = Ulp.Width<T>();
        return Gen.Choose(-maxUlps, maxUlps).Select(k => Ulp.Offset(boundary, k));
    }

    /// <summary>
    /// A dyadic grid: <c>k * 2^-fractionBits</c> for integers <c>|k| &lt;= 2^(fractionBits + magnitudeBits)</c>, so every value is
    /// exact in T when <c>fractionBits + magnitudeBits</c> is at most T's precision, and sums and small products of such
    /// values are exact too: reductions over them have a known exact answer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bit counts are negative or their sum exceeds 30.</exception>
    public static Gen<T> Dyadic<T>(int fractionBits, int magnitudeBits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (fractionBits < 0 || magnitudeBits < 0 || fractionBits + magnitudeBits > 30)
            throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits,
                $"fractionBits and magnitudeBits must be >= 0 with a sum <= 30, but were {fractionBits} and {magnitudeBits}.");
        int k = 1 << (fractionBits + magnitudeBits);
        double scale = Math.ScaleB(1, -fractionBits);
        return Gen.Choose(-k, k).Select(i => T.CreateTruncating(i * scale));
    }

    /// <summary>
    /// Simpler candidates for a failing value, for FsCheck's shrinking: 0, 1, -1, the value with fewer fraction
    /// bits, halved, the positive of a negative; a NaN shrinks to the canonical quiet NaN, an infinity to the
    /// largest finite value, a subnormal to the smallest one. Every candidate is strictly simpler, so shrinking ends.
    /// </summary>
    public static IEnumerable<T> Shrink<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(x))
        {
            T canonical = T.NaN;
            if (Ulp.Bits(x) != Ulp.Bits(canonical)) yield return canonical;
            yield break;
        }
        if (T.IsZero(x))
        {
            if (T.IsNegative(x)) yield return T.Zero;
            yield break;
        }
        yield return T.Zero;
        if (T.IsInfinity(x)) { T max = T.BitDecrement(T.PositiveInfinity); yield return T.IsNegative(x) ? -max : max; yield break; }
        if (T.IsNegative(x)) yield return -x;
        if (T.IsSubnormal(x)) { if (T.Abs(x) != T.Epsilon) yield return T.CopySign(T.Epsilon, x); yield break; }
        T one = T.CopySign(T.One, x);
        if (x != one) yield return one;
        T rounded = T.Round(x);
        if (rounded != x && !T.IsZero(rounded)) yield return rounded;
        T half = x / (T.One + T.One);
        if (T.Abs(x) > T.One && half != x) yield return half;
    }

    /// <summary>An FsCheck arbitrary from a generator, with <see cref="Shrink{T}"/> as its shrinker.</summary>
    public static Arbitrary<T> Shrinking<T>(Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Arb.From(values, x => Shrink(x));

    /// <summary>Uniform 64 random bits.</summary>
    internal static Gen<ulong> Uniform64() =>
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select (ulong)(uint)hi << 32 | (uint)lo;

    /// <summary>Exponent and fraction widths of T.</summary>
    internal static (int ExponentBits, int FractionBits) Layout<T>() where T : unmanaged => Ulp.Width<T>() switch
    {
        32 => (8, 23),
        64 => (11, 52),
        _ => (5, 10),
    };

    internal static T FromBits<T>(ulong bits) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) { float f = BitConverter.UInt32BitsToSingle((uint)bits); return Unsafe.As<float, T>(ref f); }
        if (typeof(T) == typeof(double)) { double d = BitConverter.UInt64BitsToDouble(bits); return Unsafe.As<double, T>(ref d); }
        if (typeof(T) == typeof(Half)) { Half h = BitConverter.UInt16BitsToHalf((ushort)bits); return Unsafe.As<Half, T>(ref h); }
        throw new NotSupportedException($"NetNumerics.Testing supports float, double and Half, but was given {typeof(T).Name}.");
    }
}
