using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Adafactor: the Fast twin equals the Reference bit for bit (same element-wise operations; the reductions in the same
/// double accumulators in the same index order, so no tolerance is needed) on every shape rank 0-4, every SIMD width,
/// float and double, the whole float range included; the factored second moment of a rank-1 gradient is the unfactored
/// one within a derived bound; maximize is the negated gradient exactly.
/// </summary>
public class AdafactorProperties
{
    const int Steps = 5;

    /// <summary>Rank 0 to 4; last dimensions up to 40 so every width's vector loop and one-lane tail run.</summary>
    static readonly Gen<int[]> Shapes = Gen.OneOf(
        Gen.Constant(Array.Empty<int>()),
        Gen.Choose(0, 70).Select(n => new[] { n }),
        from r in Gen.Choose(1, 9) from c in Gen.Choose(1, 40) select new[] { r, c },
        from a in Gen.Choose(1, 3) from r in Gen.Choose(1, 5) from c in Gen.Choose(1, 19) select new[] { a, r, c },
        from a in Gen.Choose(1, 4) from b in Gen.Choose(1, 3) from r in Gen.Choose(1, 3) from c in Gen.Choose(1, 9) select new[] { a, b, r, c });

    static int Product(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    static void FastEqualsReference<T>(Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cases =
            from options in HyperGen.Adafactor
            from shape in Shapes
            from p in Gen.ArrayOf(values, Product(shape))
            from gs in Gen.ArrayOf(Gen.ArrayOf(values, Product(shape)), Steps)
            from lrs in Gen.ArrayOf(HyperGen.LearningRate, Steps)
            select (options, shape, p, gs, lrs);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (options, shape, p0, gs, lrs) = c;
            foreach (var width in SimdWidth.Available.Prepend(VectorWidth.Scalar))
            {
                using var _ = SimdWidth.Limit(width);
                IOptimizer reference = ReferenceOptimizers.For(options), fast = FastOptimizers.For(options);
                var sr = reference.Init<T>(shape);
                var sf = fast.Init<T>(shape);
                T[] pr = (T[])p0.Clone(), pf = (T[])p0.Clone();
                for (int t = 0; t < Steps; t++)
                {
                    reference.Update(sr, pr, gs[t], lrs[t]);
                    fast.Update(sf, pf, gs[t], lrs[t]);
                    NumericAssert.BitExact<T>(pr, pf, label: $"parameters after step {t + 1}, {width}, shape [{string.Join(", ", shape)}], {options}");
                    NumericAssert.BitExact(sr, sf, label: $"state after step {t + 1}, {width}");
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    /// <summary>Values like real parameters and gradients: |x| in [2^-10, 2^11), exact zeros of both signs.</summary>
    static Gen<T> Typical<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Gen.Frequency((22, FloatGen.InBinades<T>(-10, 10)), (1, FloatGen.OfClass<T>(FloatClass.Zero)));

    [Fact] public void Fast_equals_reference_bit_for_bit_float() => FastEqualsReference(Typical<float>());
    [Fact] public void Fast_equals_reference_bit_for_bit_double() => FastEqualsReference(Typical<double>());
    [Fact] public void Fast_equals_reference_bit_for_bit_on_the_whole_float_range() => FastEqualsReference(FloatGen.AnyClass<float>());
    [Fact] public void Fast_equals_reference_bit_for_bit_on_the_whole_double_range() => FastEqualsReference(FloatGen.AnyClass<double>());

    /// <summary>
    /// Law: for a rank-1 gradient G = a b^T the factored estimate R_i C_j / mean(R) is G_ij^2, the unfactored second moment
    /// (after the first step, where the lerp weight 1^beta2_decay = 1 makes each factor its mean of g^2). The entries are
    /// integers below 2^6, so G and G^2 (below 2^24) are exact in float and the unfactored variance is G^2 exactly.
    /// Bound: R_i = fl_T(S_i / cols) with S_i exact (integers below 2^53): a relative error e1 = u_T + u_d + u_T*u_d (one
    /// double division, one rounding to T), the same for C_j; mean(R), summed here in double, is a weighted mean of rows
    /// values of relative error e1, times (1 + gamma_rows(u_d)) for the sum and the division; the product and quotient add
    /// two u_d. So |V - G^2| &lt;= ((1+e1)^2 (1+gamma_{rows+2}(u_d)) / (1-e1) - 1) * G^2.
    /// </summary>
    static void RankOneLaw<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cases =
            from rows in Gen.Choose(1, 24)
            from cols in Gen.Choose(1, 24)
            from a in Gen.ArrayOf(Gen.Choose(-63, 63).Where(x => x != 0), rows)
            from b in Gen.ArrayOf(Gen.Choose(-63, 63).Where(x => x != 0), cols)
            from options in HyperGen.Adafactor
            select (rows, cols, a, b, options);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (rows, cols, a, b, options) = c;
            var g = new T[rows * cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) g[i * cols + j] = T.CreateTruncating((double)a[i] * b[j]);
            var opt = FastOptimizers.For(options);
            var factored = opt.Init<T>([rows, cols]);
            var full = opt.Init<T>([rows * cols]);
            opt.Update(factored, new T[rows * cols], g, 0.01);
            opt.Update(full, new T[rows * cols], g, 0.01);
            double uT = Bounds.UnitRoundoff<T>(), uD = Bounds.UnitRoundoff<double>();
            double e1 = uT + uD + uT * uD;
            double rel = (1 + e1) * (1 + e1) * (1 + Bounds.Gamma(rows + 2, uD)) / (1 - e1) - 1;
            var r = factored.Slot("row_var").Span; var cv = factored.Slot("col_var").Span; var v = full.Slot("variance").Span;
            double meanR = 0;
            for (int i = 0; i < rows; i++) meanR += double.CreateTruncating(r[i]);
            meanR /= rows;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    double exact = double.CreateTruncating(v[i * cols + j]);
                    Assert.Equal((double)a[i] * b[j] * a[i] * b[j], exact);   // the unfactored moment is g^2 exactly
                    double est = double.CreateTruncating(r[i]) * double.CreateTruncating(cv[j]) / meanR;
                    Assert.True(Math.Abs(est - exact) <= rel * exact, $"V[{i},{j}] = {est:R}, g^2 = {exact:R}, bound {rel * exact:R}");
                }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact] public void The_factored_moment_of_a_rank_one_gradient_is_the_unfactored_one_float() => RankOneLaw<float>();
    [Fact] public void The_factored_moment_of_a_rank_one_gradient_is_the_unfactored_one_double() => RankOneLaw<double>();

    [Fact]
    public void Maximize_is_the_negated_gradient_bit_for_bit_on_both_paths()
    {
        Prop.ForAll(HyperGen.Adafactor.ToArbitrary(), Shapes.ToArbitrary(), Gen.Choose(0, 10000).ToArbitrary(), (options, shape, seed) =>
        {
            var up = (AdafactorOptions)options with { Maximize = true };
            var down = (AdafactorOptions)options with { Maximize = false };
            int n = Product(shape);
            foreach (var (u, d) in new[] { (ReferenceOptimizers.For(up), ReferenceOptimizers.For(down)), (FastOptimizers.For(up), FastOptimizers.For(down)) })
            {
                var su = u.Init<double>(shape); var sd = d.Init<double>(shape);
                double[] pu = SeededInputs.Values<double>(n, (ulong)seed, 1), pd = (double[])pu.Clone();
                for (int t = 0; t < 3; t++)
                {
                    double[] g = SeededInputs.Values<double>(n, (ulong)seed, (ulong)(2 + t));
                    u.Update(su, pu, g, 0.05);
                    d.Update(sd, pd, g.Select(x => -x).ToArray(), 0.05);
                }
                NumericAssert.BitExact<double>(pd, pu);
                for (int k = 0; k < 3; k++) NumericAssert.BitExact<double>(sd.SlotAt(k).Span, su.SlotAt(k).Span);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    [Fact]
    public void The_state_has_torch_s_factor_lengths_and_round_trips_through_the_format()
    {
        var opt = new FastAdafactor(new AdafactorOptions());
        var conv = opt.Init<float>([32, 1, 3, 3]);
        Assert.Equal([32 * 3, 32 * 3, 0], Enumerable.Range(0, 3).Select(k => conv.SlotAt(k).Length));   // row_var [32,1,3,1], col_var [32,1,1,3]
        var dense = opt.Init<float>([256, 1600]);
        Assert.Equal([256, 1600, 0], Enumerable.Range(0, 3).Select(k => dense.SlotAt(k).Length));
        var bias = opt.Init<float>([10]);
        Assert.Equal([0, 0, 10], Enumerable.Range(0, 3).Select(k => bias.SlotAt(k).Length));
        var g = SeededInputs.Values<float>(288, 3, 1);
        opt.Update(conv, new float[288], g, 0.01);
        using var ms = new MemoryStream();
        OptimizerStateFormat.Save(conv, ms);
        var back = OptimizerStateFormat.Load<float>(ms.ToArray());
        Assert.True(back.BitEquals(conv));
        Assert.Equal([32, 1, 3, 3], back.Shape);
    }

    [Fact]
    public void First_step_of_a_vector_matches_the_formula_worked_by_hand()
    {
        // p = [3, -4] (RMS 3.5355), g = [0.5, -2]: t = 1, rho = min(0.01, 1) = 0.01, alpha = max(1e-3, 3.5355...) * 0.01;
        // V = g^2 (weight 1), U = g / |g| = [1, -1], RMS(U) = 1, so the step is alpha * U.
        var opt = new Adafactor(new AdafactorOptions());
        var s = opt.Init<double>([2]);
        double[] p = [3, -4];
        opt.Update(s, p, [0.5, -2], 0.01);
        double alpha = Math.Sqrt((9 + 16) / 2.0) * 0.01;
        Assert.Equal(3 - alpha, p[0], 15);
        Assert.Equal(-4 + alpha, p[1], 15);
        Assert.Equal([0.25, 4.0], s.Slot("variance").ToArray());
    }

    [Fact]
    public void Bad_options_name_the_option_and_what_is_allowed()
    {
        Assert.Contains("Beta2Decay must be a finite number <= 0", Assert.Throws<ArgumentOutOfRangeException>(() => new AdafactorOptions { Beta2Decay = 0.1 }).Message);
        Assert.Contains("ClipThreshold (d) must be a finite number >= 1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdafactorOptions { ClipThreshold = 0.5 }).Message);
        Assert.Contains("Epsilon1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdafactorOptions { Epsilon1 = -1 }).Message);
        var e = Assert.Throws<ArgumentException>(() => OptimizerParser.Parse("adafactor:d=0.5"));
        Assert.Contains("d=0.5 is out of range; allowed: a number >= 1", e.Message);
        Assert.Contains("'adafactor' takes keys: beta2_decay, eps1, eps2, d, weight_decay, maximize", e.Message);
        Assert.Equal("adafactor:eps1=1E-30,d=2", OptimizerParser.Print(OptimizerParser.Parse("adafactor:eps1=1e-30,d=2")));
        Assert.Equal(new AdafactorOptions { Epsilon1 = 1e-30, ClipThreshold = 2 }, OptimizerParser.Parse("adafactor:eps1=1e-30,d=2").Options);
    }
}
