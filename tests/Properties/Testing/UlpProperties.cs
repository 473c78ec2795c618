using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Testing;

/// <summary>
/// Ulp.Distance is a metric on the values (identity, symmetry, triangle inequality) under every policy, agrees with
/// numpy's integer representation and with BitIncrement steps; Offset walks it; Spacing is the binade's gap.
/// Float, double and Half, over all bit patterns (every class) and near every class boundary.
/// </summary>
public class UlpProperties
{
    const int Tests = 2000;
    static readonly NanPolicy[] Nans = Enum.GetValues<NanPolicy>();
    static readonly SignedZeroPolicy[] Zeros = Enum.GetValues<SignedZeroPolicy>();

    /// <summary>All bit patterns, plus values near the boundaries of the classes (0, smallest normal, largest finite).</summary>
    static Gen<T> Values<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> => Gen.OneOf(
        FloatGen.AllBits<T>(), FloatGen.AnyClass<T>(), FloatGen.Near(T.Zero, 40), FloatGen.Near(T.MaxValue, 40),
        FloatGen.Near(T.CreateTruncating(double.CreateTruncating(T.Epsilon) * Math.Pow(2, FloatGenLayout<T>())), 40));

    static int FloatGenLayout<T>() => typeof(T) == typeof(float) ? 23 : typeof(T) == typeof(double) ? 52 : 10;   // smallest normal = epsilon * 2^fraction bits

    static void ForAll<T>(Func<T, T, T, NanPolicy, SignedZeroPolicy, bool> law, string name) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> =>
        Prop.ForAll((from a in Values<T>() from b in Values<T>() from c in Values<T>() from n in Gen.Elements(Nans) from z in Gen.Elements(Zeros)
                     select (a, b, c, n, z)).ToArbitrary(),
            x => law(x.a, x.b, x.c, x.n, x.z).Label($"{name} {typeof(T).Name} {x}")).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));

    static bool Identity<T>(T a, T b, T c, NanPolicy n, SignedZeroPolicy z) where T : unmanaged, IFloatingPointIeee754<T> => Ulp.Distance(a, a, n, z) == 0;

    static bool Symmetry<T>(T a, T b, T c, NanPolicy n, SignedZeroPolicy z) where T : unmanaged, IFloatingPointIeee754<T> =>
        Ulp.Distance(a, b, n, z) == Ulp.Distance(b, a, n, z);

    static bool Triangle<T>(T a, T b, T c, NanPolicy n, SignedZeroPolicy z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        UInt128 ab = Ulp.Distance(a, b, n, z), bc = Ulp.Distance(b, c, n, z), ac = Ulp.Distance(a, c, n, z);
        if (ab == Ulp.Infinite || bc == Ulp.Infinite) return true;   // an infinite side bounds anything
        return ac != Ulp.Infinite && ac <= ab + bc;
    }

    /// <summary>Zero exactly for the same point: IEEE equality (so -0 == +0) under Equal, same bits under Distinct; NaN by its policy.</summary>
    static bool ZeroOnlyForTheSamePoint<T>(T a, T b, T c, NanPolicy n, SignedZeroPolicy z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool same = T.IsNaN(a) || T.IsNaN(b)
            ? T.IsNaN(a) && T.IsNaN(b) && (n == NanPolicy.AnyNanEqual || SameBits(a, b))
            : z == SignedZeroPolicy.Equal ? a == b : SameBits(a, b);
        return (Ulp.Distance(a, b, n, z) == 0) == same;
    }

    static bool SameBits<T>(T a, T b) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    [Fact] public void Distance_is_zero_from_itself() { ForAll<float>(Identity, "identity"); ForAll<double>(Identity, "identity"); ForAll<Half>(Identity, "identity"); }
    [Fact] public void Distance_is_symmetric() { ForAll<float>(Symmetry, "symmetry"); ForAll<double>(Symmetry, "symmetry"); ForAll<Half>(Symmetry, "symmetry"); }
    [Fact] public void Distance_satisfies_the_triangle_inequality() { ForAll<float>(Triangle, "triangle"); ForAll<double>(Triangle, "triangle"); ForAll<Half>(Triangle, "triangle"); }
    [Fact] public void Distance_is_zero_only_for_the_same_point() { ForAll<float>(ZeroOnlyForTheSamePoint, "zero"); ForAll<double>(ZeroOnlyForTheSamePoint, "zero"); ForAll<Half>(ZeroOnlyForTheSamePoint, "zero"); }

    [Fact]
    public void Distance_counts_BitIncrement_steps()
    {
        Check<float>(); Check<double>(); Check<Half>();
        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> =>
            Prop.ForAll((from x in Values<T>().Where(v => !T.IsNaN(v)) from k in Gen.Choose(0, 300) select (x, k)).ToArbitrary(), c =>
            {
                T y = c.x;
                int steps = 0;
                for (; steps < c.k && y != T.PositiveInfinity; steps++) y = T.BitIncrement(y);
                // -0 and +0 are one point under Equal: BitIncrement(-epsilon) = -0 and BitIncrement(-0) = +epsilon, one step each.
                return (Ulp.Distance(c.x, y) == (ulong)steps && Ulp.Distance(c.x, Ulp.Offset(c.x, steps)) == (ulong)steps
                        && Ulp.Distance(Ulp.Offset(c.x, steps), y) == 0)
                    .Label($"{typeof(T).Name} {c.x} + {steps} steps = {y}; distance {Ulp.Distance(c.x, y)}");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Distance_is_numpys_integer_representation_for_float()
    {
        // numpy.testing's _integer_repr: bits as int32, negative x mapped to int.MinValue - bits; nulp_diff = |rx - ry|.
        Prop.ForAll(Arb.From(Gen.Two(FloatGen.AllBits<float>().Where(f => !float.IsNaN(f)))), p =>
        {
            static long Repr(float f) { int b = BitConverter.SingleToInt32Bits(f); return b < 0 ? (long)int.MinValue - b : b; }
            return Ulp.Distance(p.Item1, p.Item2) == (ulong)Math.Abs(Repr(p.Item1) - Repr(p.Item2));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Signed_zero_policy_separates_the_zeros_by_one_step()
    {
        Assert.Equal(0UL, Ulp.Distance(-0f, 0f));
        Assert.Equal(1UL, Ulp.Distance(-0f, 0f, zero: SignedZeroPolicy.Distinct));
        Assert.Equal(2UL, Ulp.Distance(-float.Epsilon, float.Epsilon));
        Assert.Equal(3UL, Ulp.Distance(-float.Epsilon, float.Epsilon, zero: SignedZeroPolicy.Distinct));
        Prop.ForAll(Arb.From(Gen.Two(FloatGen.AnyClass<double>().Where(d => !double.IsNaN(d)))), p =>
        {
            ulong eq = Ulp.Distance(p.Item1, p.Item2), distinct = Ulp.Distance(p.Item1, p.Item2, zero: SignedZeroPolicy.Distinct);
            return distinct >= eq && distinct <= eq + 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void NaN_policy_decides_payloads()
    {
        float q = BitConverter.Int32BitsToSingle(0x7FC00001), s = BitConverter.Int32BitsToSingle(0x7F800002), negative = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001));
        Assert.Equal(0UL, Ulp.Distance(q, s));
        Assert.Equal(0UL, Ulp.Distance(q, negative));
        Assert.Equal(Ulp.Infinite, Ulp.Distance(q, s, NanPolicy.PayloadExact));
        Assert.Equal(Ulp.Infinite, Ulp.Distance(q, negative, NanPolicy.PayloadExact));
        Assert.Equal(0UL, Ulp.Distance(q, q, NanPolicy.PayloadExact));
        Assert.Equal(Ulp.Infinite, Ulp.Distance(q, float.PositiveInfinity));
        Assert.Equal(Ulp.Infinite, Ulp.Distance(0f, float.NaN));
        Assert.Equal(1UL, Ulp.Distance(float.MaxValue, float.PositiveInfinity));
    }

    [Fact]
    public void Spacing_is_the_gap_of_the_binade()
    {
        Check<float>(24); Check<double>(53); Check<Half>(11);
        static void Check<T>(int precision) where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T> =>
            Prop.ForAll(FloatGen.Shrinking(Values<T>().Where(T.IsFinite)), x =>
            {
                T a = T.Abs(x), s = Ulp.Spacing(x);
                double expected = T.IsNormal(a)
                    ? Math.ScaleB(1, Math.ILogB(double.CreateTruncating(a)) - precision + 1)
                    : double.CreateTruncating(T.Epsilon);
                bool nextIsGap = a == T.MaxValue ? a - s == T.BitDecrement(a) : a + s == T.BitIncrement(a);
                return (double.CreateTruncating(s) == expected && nextIsGap).Label($"{typeof(T).Name} {x}: spacing {s}, expected {expected}");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
        Assert.Equal(float.PositiveInfinity, Ulp.Spacing(float.NegativeInfinity));
        Assert.True(double.IsNaN(Ulp.Spacing(double.NaN)));
        Assert.Equal(Math.ScaleB(1, -52), Ulp.Spacing(1.0));
        Assert.Equal(MathF.ScaleB(1, -23), Ulp.Spacing(-1f));
    }

    [Fact]
    public void Offset_saturates_at_the_infinities()
    {
        Assert.Equal(float.PositiveInfinity, Ulp.Offset(float.MaxValue, 5));
        Assert.Equal(float.NegativeInfinity, Ulp.Offset(-float.MaxValue, -5));
        Assert.Equal(double.NegativeInfinity, Ulp.Offset(0.0, long.MinValue));
        Assert.Equal(double.PositiveInfinity, Ulp.Offset(1.0, long.MaxValue));
        Assert.Equal(4.0, Ulp.Offset(-1.0, long.MaxValue), 0.0001);   // 2^63 - 1 steps from -1 stop just below 4: -inf..+inf is about 2^64 steps
        Assert.True(float.IsNaN(Ulp.Offset(float.NaN, 3)));
        Assert.Equal(0f, Ulp.Offset(-float.Epsilon, 1));
    }
}
