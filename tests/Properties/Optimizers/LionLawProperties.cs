using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Lion's laws (Chen et al. 2023): the step is lr times a sign, so the gradient's magnitude never enters.</summary>
public class LionLawProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);

    /// <summary>Parameters on the grid k * 2^-10 with |k| &lt;= 2^12 and lr = j * 2^-10, j in [0, 2^10]: after at most 6 steps
    /// p ± lr is again on that grid with |p ± lr| &lt;= 4 + 6 &lt; 2^4, so it needs at most 4 + 10 + 10 = 24 significant bits and is
    /// exact in float (24-bit significand) and double.
    /// Exactness is what lets the law be checked with ==: the update is one subtraction of lr*sign(c) and nothing else.</summary>
    static T OnGrid<T>(ulong seed, ulong stream, ulong i, int halfRange) where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating((double)((long)(CounterRng.Bits(seed, stream, i) % (ulong)(2 * halfRange + 1)) - halfRange) / 1024);

    static T Sign<T>(T c) where T : IFloatingPointIeee754<T> => c > T.Zero ? T.One : c < T.Zero ? -T.One : T.Zero;

    [Fact]
    public void Without_weight_decay_each_element_moves_by_exactly_lr_times_the_sign_of_c()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in HyperGen.Lion from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 6) from fast in Gen.Elements(false, true)
                 select (o: (LionOptions)o with { WeightDecay = 0 }, n, seed, steps, fast)).ToArbitrary(),
                x =>
                {
                    var opt = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    var p = new T[x.n];
                    for (int i = 0; i < x.n; i++) p[i] = OnGrid<T>(x.seed, 1, (ulong)i, 1 << 12);
                    var s = opt.Init<T>(x.n);
                    T b1 = T.CreateTruncating(x.o.Beta1), oneMinusB1 = T.CreateTruncating(1 - x.o.Beta1);
                    for (int t = 0; t < x.steps; t++)
                    {
                        T[] g = SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t), before = (T[])p.Clone();
                        T[] m = s.Slot("m").ToArray();
                        double lrGrid = (double)(CounterRng.Bits(x.seed, 3, (ulong)t) % 1025) / 1024;
                        opt.Update(s, p, g, lrGrid);
                        T lr = T.CreateTruncating(lrGrid);
                        for (int i = 0; i < x.n; i++)
                        {
                            T c = b1 * m[i] + oneMinusB1 * g[i];
                            T moved = p[i] - before[i];   // exact: both on the grid
                            // t = 1 (m = 0): c = (1-b1) g, so the direction is the gradient's sign alone.
                            bool directionOk = t > 0 || Sign(c) == Sign(g[i]);
                            if (!(moved == -lr * Sign(c) && directionOk))
                                return false.Label($"{typeof(T).Name} {x.o} step {t + 1} i={i}: p {before[i]} -> {p[i]}, lr {lr}, c {c}");
                        }
                    }
                    return true.ToProperty();
                }).Check(Cfg(150));
    }

    /// <summary>
    /// Scaling every gradient by 2^k leaves the parameter trajectory bit-identical and scales the momentum by exactly
    /// 2^k, with or without weight decay: multiplying by a power of two is exact (no overflow or underflow here: gradients
    /// are 0 or of magnitude below 1e3 and above 1e-19, k in [-8, 8], at most 6 steps, betas 0 or at least 1e-3, so the
    /// smallest term of c or m, about b^5 |g| 2^-8 &gt;= 1e-15 * 1e-19 * 2^-8, stays above float's smallest normal 2^-126),
    /// so every rounded product and sum in c and m is the unscaled one times 2^k, and sign(c) does not change. No other
    /// optimizer in the library has this law.
    /// </summary>
    /// <summary>The kit's Lion records with both betas 0 or at least 1e-3: with its smallest betas (2^-60) the decayed momentum
    /// b^t m reaches the subnormals within a few steps, where scaling by 2^k is no longer exact (the law's premise).</summary>
    static readonly Gen<IOptimizerOptions> LionWithoutUnderflow =
        HyperGen.Lion.Where(o => o is LionOptions l && (l.Beta1 == 0 || l.Beta1 >= 1e-3) && (l.Beta2 == 0 || l.Beta2 >= 1e-3));

    [Fact]
    public void Gradients_scaled_by_a_power_of_two_give_the_same_parameters_bit_for_bit()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in LionWithoutUnderflow from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 6) from k in Gen.Choose(-8, 8).Where(k => k != 0) from fast in Gen.Elements(false, true)
                 select (o, n, seed, steps, k, fast)).ToArbitrary(),
                x =>
                {
                    var opt = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    T scale = T.CreateTruncating(Math.Pow(2, x.k));
                    T[] p1 = SeededInputs.Values<T>(x.n, x.seed, 1), p2 = (T[])p1.Clone();
                    var s1 = opt.Init<T>(x.n); var s2 = opt.Init<T>(x.n);
                    for (int t = 0; t < x.steps; t++)
                    {
                        T[] g = SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t);
                        T[] scaled = g.Select(v => v * scale).ToArray();
                        double lr = SeededInputs.LearningRate(x.seed, t);
                        opt.Update(s1, p1, g, lr);
                        opt.Update(s2, p2, scaled, lr);
                    }
                    T[] m1Scaled = s1.Slot("m").ToArray().Select(v => v * scale).ToArray(), m2 = s2.Slot("m").ToArray();
                    NumericAssert.BitExact<T>(p1, p2, label: $"{typeof(T).Name} {x.o} parameters with gradients x 2^{x.k}");
                    NumericAssert.BitExact<T>(m1Scaled, m2, label: $"{typeof(T).Name} {x.o} momentum x 2^{x.k}");
                    return true.ToProperty();
                }).Check(Cfg(150));
    }

    /// <summary>
    /// The Fast kernel's sign (a clamp of (c*2^127)*2^127, resp. 2^1023 for double) equals the Reference's comparison form on
    /// the inputs the random generators never produce: subnormal, ±0, ±infinity, NaN and ±MaxValue interpolations, at every
    /// vector width. With b1 = 0 and a fresh state c = 0*0 + 1*g = g exactly, so these gradients are the c values.
    /// </summary>
    [Fact]
    public void Fast_sign_equals_the_reference_sign_on_special_values_at_every_width()
    {
        Check<float>([float.Epsilon, -float.Epsilon, 2 * float.Epsilon, float.MinValue / float.MaxValue, 1.17549435e-38f, -1.17549435e-38f,
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, 1f, -1f]);
        Check<double>([double.Epsilon, -double.Epsilon, 3 * double.Epsilon, 2.2250738585072014e-308, -2.2250738585072014e-308,
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.MaxValue, double.MinValue, 1.0, -1.0]);

        static void Check<T>(T[] specials) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var options = new LionOptions { Beta1 = 0 };
            T[] g = Enumerable.Range(0, 67).Select(i => specials[i % specials.Length]).ToArray();   // crosses 512-bit bodies and a tail
            var reference = ReferenceOptimizers.For(options);
            T[] expected = Enumerable.Repeat(T.CreateTruncating(0.5), g.Length).ToArray();
            reference.Update(reference.Init<T>(g.Length), expected, g, 0.25);
            foreach (var width in SimdWidth.Available)
            {
                var fast = FastOptimizers.For(options);
                T[] p = Enumerable.Repeat(T.CreateTruncating(0.5), g.Length).ToArray();
                using (SimdWidth.Limit(width)) fast.Update(fast.Init<T>(g.Length), p, g, 0.25);
                NumericAssert.BitExact<T>(expected, p, label: $"{typeof(T).Name} parameters after one step at width {width}, c = [{string.Join(", ", g)}]");
                // and the sign itself: 0.5 - 0.25*sign(c) is 0.25, 0.75 or 0.5 (c = ±0), NaN for NaN
                for (int i = 0; i < g.Length; i++)
                    if (!T.IsNaN(g[i]))
                        Assert.Equal(T.CreateTruncating(0.5) - T.CreateTruncating(0.25) * Sign(g[i]), p[i]);
            }
        }
    }
}
