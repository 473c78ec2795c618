using System.Numerics;
using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Schedule-Free's laws (Defazio et al. 2024): z is the base optimizer's own trajectory, x is the weighted mean of the z's.</summary>
public class ScheduleFreeLawProperties
{
    static Config Cfg(int n) => WrapperLaw.Cfg(n);
    static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged => WrapperLaw.SameBits(a, b);

    /// <summary>
    /// Without weight decay z_t = base(z_{t-1}, g_t, lr_t) with z_0 = p_0: the same operations on the same bits as the base
    /// optimizer run alone on the same gradients, so z and the base's slots equal that run bit for bit, whatever b1. With
    /// b1 = 0 the parameters y = 0*x + 1*z equal z too; compared with == because 1*z + 0*x turns a z of -0 into +0 (the only
    /// difference a sum with an exact zero can make: y = z + 0*(x - z)).
    /// </summary>
    [Fact]
    public void Without_weight_decay_z_is_the_base_optimizers_trajectory_bit_for_bit_and_b1_0_trains_at_it()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in WrapperGens.TameScheduleFree from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 8) from zeroB1 in Gen.Elements(false, true) from fast in Gen.Elements(false, true)
                 select (o: zeroB1 ? (ScheduleFreeOptions)o with { Beta1 = 0, WeightDecay = 0 } : (ScheduleFreeOptions)o with { WeightDecay = 0 },
                         n, seed, steps, fast)).ToArbitrary(),
                x => WrapperLaw.SideBySide<T>(x.o, x.o.Base, x.n, x.seed, x.steps, x.fast, (t, y, p, s, b) =>
                {
                    if (!SameBits<T>(s.Slot("z").Span, p)) return "z differs from the base run";
                    if (WrapperLaw.BaseSlotDiffering(s, b) is { } slot) return slot;
                    if (x.o.Beta1 == 0)
                        for (int i = 0; i < x.n; i++)
                            if (y[i] != p[i]) return $"i={i}: y {y[i]} but the base's p {p[i]}";
                    return null;
                })).Check(Cfg(120));
    }

    /// <summary>
    /// At a constant learning rate lr = 2^-k every weight is lr^r = 2^-kr, the sums W_t = t*w are exact and c_t = 1/t
    /// (rounded once), so x_t is the running mean of z_1..z_t (x_1 = z_1 since c_1 = 1). Each update
    /// x = (1-c)*x + c*z rounds the two constants to T and does three operations, each within a factor (1+u) of exact
    /// (u = 2^-24 float, 2^-53 double), so the new error is at most (1-c) times the old one plus 4u*M, M = max|z_i|; by
    /// induction |x_t - mean| &lt;= 4*t*u*M. The mean itself is summed in double from the recorded z's (error &lt;= t*2^-53*M),
    /// so the bound checked is 5*t*u*M.
    /// </summary>
    [Fact]
    public void At_a_constant_rate_x_is_the_running_mean_of_the_z_iterates_within_5_t_u_max_z()
    {
        Check<float>(Math.Pow(2, -24));
        Check<double>(Math.Pow(2, -53));

        static void Check<T>(double u) where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in WrapperGens.TameScheduleFree from n in Gen.Choose(1, 80) from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 30) from k in Gen.Choose(0, 12) from fast in Gen.Elements(false, true)
                 select (o: (ScheduleFreeOptions)o with { WeightLrPower = Math.Min(((ScheduleFreeOptions)o).WeightLrPower, 2) }, n, seed, steps, lr: Math.Pow(2, -k), fast))
                .ToArbitrary(),
                x =>
                {
                    var sf = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    T[] y = SeededInputs.Values<T>(x.n, x.seed, 1);
                    var s = sf.Init<T>(x.n);
                    var sum = new double[x.n];
                    double maxZ = 0;
                    for (int t = 1; t <= x.steps; t++)
                    {
                        sf.Update(s, y, SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t), x.lr);
                        var z = s.Slot("z").Span; var xs = s.Slot("x").Span;
                        for (int i = 0; i < x.n; i++) { sum[i] += double.CreateTruncating(z[i]); maxZ = Math.Max(maxZ, Math.Abs(double.CreateTruncating(z[i]))); }
                        double bound = 5 * t * u * maxZ;
                        for (int i = 0; i < x.n; i++)
                        {
                            double mean = sum[i] / t, got = double.CreateTruncating(xs[i]);
                            if (!(Math.Abs(got - mean) <= bound))
                                return false.Label($"{typeof(T).Name} {x.o} lr {x.lr} step {t} i={i}: x {got}, mean of z {mean}, |diff| {Math.Abs(got - mean)} > {bound}");
                        }
                    }
                    return true.ToProperty();
                }).Check(Cfg(100));
    }

    /// <summary>The scalars follow their definitions exactly: lr_max the largest rate so far, weight_sum the sum of lr_max^r, in double.</summary>
    [Fact]
    public void Scalars_are_the_largest_rate_and_the_sum_of_its_powers()
    {
        var o = ScheduleFreeOptions.AdamW with { WeightLrPower = 2 };
        var sf = ReferenceOptimizers.For(o);
        var s = sf.Init<float>(3);
        var p = new float[] { 1, -2, 3 };
        double lrMax = 0, sum = 0;
        foreach (double lr in new[] { 0.0, 1e-3, 5e-4, 2e-3, 2e-3, 1e-4 })
        {
            sf.Update(s, p, new float[] { 0.5f, -0.25f, 1f }, lr);
            lrMax = Math.Max(lrMax, lr);
            sum += Math.Pow(lrMax, 2);
            Assert.Equal(lrMax, s.Scalars[0]);
            Assert.Equal(sum, s.Scalars[1]);
        }
        Assert.Equal(["lr_max", "weight_sum"], s.ScalarNames);
    }

    /// <summary>
    /// A rate of 0 from the start (a warm-up's first step) gives weight 0 and weight sum 0: c is defined as 0 then, so x stays
    /// at x_0 = p_0 and the parameters do not move (no 0/0).
    /// </summary>
    [Fact]
    public void A_zero_rate_first_step_leaves_everything_at_the_start()
    {
        foreach (var o in new[] { ScheduleFreeOptions.Sgd, ScheduleFreeOptions.AdamW })
            foreach (bool fast in new[] { false, true })
            {
                var sf = fast ? FastOptimizers.For(o) : ReferenceOptimizers.For(o);
                var s = sf.Init<float>(4);
                float[] p = [0.5f, -1.5f, 2f, 0f], start = (float[])p.Clone();
                sf.Update(s, p, new float[] { 1f, 2f, -3f, 4f }, 0.0);
                Assert.Equal(start, p);
                Assert.Equal(start, s.Slot("x").ToArray());
                Assert.Equal(0.0, s.Scalars[1]);
            }
    }

    /// <summary>Evaluation weights are p before the first update and the slot x after it (the average, not y).</summary>
    [Fact]
    public void Evaluation_weights_are_the_parameters_before_the_first_step_and_x_after()
    {
        foreach (bool fast in new[] { false, true })
        {
            var sf = (IEvaluationWeights)(fast ? FastOptimizers.For(ScheduleFreeOptions.AdamW) : ReferenceOptimizers.For(ScheduleFreeOptions.AdamW));
            var opt = (IOptimizer)sf;
            var s = opt.Init<double>(3);
            double[] p = [1, 2, 3], eval = new double[3];
            sf.EvaluationWeights(s, p, eval);
            Assert.Equal(p, eval);
            for (int t = 0; t < 4; t++) opt.Update(s, p, new double[] { 0.3, -0.2, 0.1 }, 0.01);
            sf.EvaluationWeights(s, p, eval);
            Assert.Equal(s.Slot("x").ToArray(), eval);
            Assert.NotEqual(p, eval);   // b1 = 0.9: y = 0.9 x + 0.1 z differs from x once z has moved
        }
    }

    [Fact]
    public void Bad_options_are_one_clear_error()
    {
        Assert.Contains("Beta1 must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleFreeOptions { Beta1 = 1 }).Message);
        Assert.Contains("WeightLrPower", Assert.Throws<ArgumentOutOfRangeException>(() => new ScheduleFreeOptions { WeightLrPower = double.NaN }).Message);
        var huge = ReferenceOptimizers.For(ScheduleFreeOptions.Sgd with { WeightLrPower = 400 });
        var s = huge.Init<float>(1);
        Assert.Contains("weight sum overflowed", Assert.Throws<InvalidOperationException>(() => huge.Update(s, new float[1], new float[1], 10.0)).Message);
    }
}
