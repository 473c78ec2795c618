using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Testing;

/// <summary>
/// The derived bounds hold against the exact result (integers in units of 2^-149, <see cref="ExactArithmetic"/>) on
/// inputs built to approach them, and the construction really approaches them (error at least half the bound),
/// so the bounds are both safe and sharp. The construction: 1 followed by terms t just above half an ULP of 1, so
/// that every addition rounds up by almost u (Higham §4.2 discusses such worst cases): n - 1 additions lose about
/// (n - 1) u, the bound is gamma_(n-1) (1 + (n-1) t). Any order, FMA and subnormal (underflowing) inputs are checked
/// on random data too.
/// </summary>
public class BoundsProperties
{
    const int Tests = 300;
    static readonly double U = Bounds.UnitRoundoff<float>();

    /// <summary>[1, t, t, ..., t] scaled by 2^scale with a random sign, t = 2^-24 (1 + j 2^-20).</summary>
    static Gen<float[]> Adversarial(int minLength) =>
        from n in Gen.Choose(minLength, 3000)
        from j in Gen.Choose(1, 16)
        from scale in Gen.Choose(-60, 60)
        from negative in Gen.Elements(false, true)
        let t = MathF.ScaleB(1 + MathF.ScaleB(j, -20), -24)
        let sign = negative ? -1f : 1f
        select Enumerable.Range(0, n).Select(i => sign * MathF.ScaleB(i == 0 ? 1f : t, scale)).ToArray();

    static float RecursiveSum(float[] x) { float s = 0; foreach (float v in x) s += v; return s; }

    [Fact]
    public void Unit_roundoff_and_gamma_are_as_defined()
    {
        Assert.Equal(Math.ScaleB(1, -24), Bounds.UnitRoundoff<float>());
        Assert.Equal(Math.ScaleB(1, -53), Bounds.UnitRoundoff<double>());
        Assert.Equal(Math.ScaleB(1, -11), Bounds.UnitRoundoff<Half>());
        Assert.Equal(10 * U / (1 - 10 * U), Bounds.Gamma<float>(10));
        Assert.Equal(0, Bounds.Gamma(0, U));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bounds.Gamma(1L << 24, U));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bounds.Gamma(-1, U));
    }

    [Fact]
    public void Sum_bound_holds_and_is_approached_by_rounding_every_addition_up()
    {
        Prop.ForAll(Arb.From(Adversarial(2)), x =>
        {
            float s = RecursiveSum(x);
            double bound = Bounds.Sum<float>(x), error = ExactArithmetic.Error(s, ExactArithmetic.Sum(x), 149);
            return (ExactArithmetic.Within(s, ExactArithmetic.Sum(x), 149, bound) && error >= 0.5 * bound)
                .Label($"n={x.Length}: error {error:R}, bound {bound:R}, ratio {error / bound:G4}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Sum_bound_holds_in_any_order()
    {
        Prop.ForAll(Arb.From(from x in SpanGen.ArrayOf(FloatGen.Moderate<float>()) from seed in Gen.Choose(0, int.MaxValue) select (x, seed)), c =>
        {
            var shuffled = c.x.ToArray();
            new Random(c.seed).Shuffle(shuffled);
            float pairwise = Pairwise(shuffled);
            var exact = ExactArithmetic.Sum(c.x);
            double bound = Bounds.Sum<float>(c.x);
            return (ExactArithmetic.Within(RecursiveSum(shuffled), exact, 149, bound) && ExactArithmetic.Within(pairwise, exact, 149, bound))
                .Label($"n={c.x.Length}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
        static float Pairwise(ReadOnlySpan<float> x) => x.Length switch { 0 => 0, 1 => x[0], _ => Pairwise(x[..(x.Length / 2)]) + Pairwise(x[(x.Length / 2)..]) };
    }

    [Fact]
    public void Dot_bound_holds_and_is_approached()
    {
        Prop.ForAll(Arb.From(from x in Adversarial(4) from fma in Gen.Elements(false, true) select (x, fma)), c =>
        {
            float[] x = c.x, y = x.Select(_ => 1 + MathF.ScaleB(1, -23)).ToArray();
            float s = 0;
            for (int i = 0; i < x.Length; i++) s = c.fma ? MathF.FusedMultiplyAdd(x[i], y[i], s) : s + x[i] * y[i];
            var exact = ExactArithmetic.Dot(x, y);
            double bound = Bounds.Dot<float>(x, y), error = ExactArithmetic.Error(s, exact, 298);
            return (ExactArithmetic.Within(s, exact, 298, bound) && error >= 0.5 * bound)
                .Label($"n={x.Length} fma={c.fma}: error {error:R}, bound {bound:R}, ratio {error / bound:G4}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Dot_bound_holds_when_products_underflow()
    {
        // |x|, |y| in [2^-80, 2^-59): products fall in 2^-160 .. 2^-118, mostly below the smallest normal 2^-126.
        var tiny = FloatGen.InBinades<float>(-80, -60);
        Prop.ForAll(Arb.From(from n in SpanGen.Length from x in tiny.ArrayOf(n) from y in tiny.ArrayOf(n) select (x, y)), c =>
        {
            float s = 0;
            for (int i = 0; i < c.x.Length; i++) s += c.x[i] * c.y[i];
            return ExactArithmetic.Within(s, ExactArithmetic.Dot(c.x, c.y), 298, Bounds.Dot<float>(c.x, c.y)).Label($"n={c.x.Length}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Gemm_entry_bound_holds_and_is_approached_when_accumulating()
    {
        Prop.ForAll(Arb.From(Adversarial(4)), t =>
        {
            // c = c0 + sum_l a_l b_l with c0 = t[0] and a = t[1..], b = 1: k = n - 1 products.
            float c0 = t[0];
            float[] a = t[1..], b = a.Select(_ => 1f).ToArray();
            float c = c0;
            for (int l = 0; l < a.Length; l++) c += a[l] * b[l];
            var exact = (ExactArithmetic.Scaled(c0) << 149) + ExactArithmetic.Dot(a, b);
            double bound = Bounds.GemmEntry<float>(a, b, c0), error = ExactArithmetic.Error(c, exact, 298);
            return (ExactArithmetic.Within(c, exact, 298, bound) && error >= 0.5 * bound)
                .Label($"k={a.Length}: error {error:R}, bound {bound:R}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }

    [Fact]
    public void Softmax_bound_holds_for_wide_spreads()
    {
        // The float shifted softmax with MathF.Exp against the same formula in double (relative error near 1e-16, inside
        // the bound's 1e-12 margin). The bound assumes an exp within 2 ULP (relative 4u): checked for every exp used.
        Prop.ForAll(Arb.From(from n in Gen.Choose(1, 400) from spread in Gen.Choose(0, 120) from xs in Gen.Choose(0, 1 << 20).ArrayOf(n)
                             select xs.Select(v => (float)(v / (double)(1 << 20) * spread - 40)).ToArray()), x =>
        {
            float m = x.Max();
            var e = x.Select(v => MathF.Exp(v - m)).ToArray();
            foreach (float v in x)
                if (Ulp.Distance(MathF.Exp(v - m), (float)Math.Exp(v - m)) > 1) return false.Label($"MathF.Exp({v - m}) is more than 1 ULP from the rounded exact value");
            float s = 0;
            foreach (float v in e) s += v;
            var y = e.Select(v => v / s).ToArray();
            var bound = new double[x.Length];
            Bounds.Softmax<float>(x, 4 * U, bound);
            double md = x.Max(v => (double)v), sd = x.Sum(v => Math.Exp(v - md));
            var exact = x.Select(v => Math.Exp(v - md) / sd).ToArray();
            for (int i = 0; i < x.Length; i++)
                if (!(Math.Abs(y[i] - exact[i]) <= bound[i])) return false.Label($"n={x.Length} i={i}: {y[i]:R} vs {exact[i]:R}, bound {bound[i]:R}");
            return true.ToProperty();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tests));
    }
}
