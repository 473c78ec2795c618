using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// LAMB (You et al. 2020): the element-wise part (moments) is bit-identical on both paths; the two norms are reductions
/// summed in different orders, so parameters agree within a bound derived from gamma_n; and two laws: the step's norm is
/// lr * ||p||, and gradients scaled by a power of two give the same parameters bit for bit.
/// </summary>
public class LambProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);

    /// <summary>
    /// LAMB records over the whole option space except the constants that round to 0 or overflow in float (eps 5e-324 is 0 in
    /// float and gives 0/0 where a gradient is 0; wd 1e300 is infinite in float): those make every element NaN on both
    /// paths, which says nothing about the reduction.
    /// </summary>
    internal static readonly Gen<LambOptions> Options =
        from b1 in HyperGen.UnitInterval from b2 in HyperGen.UnitInterval
        from eps in Gen.Elements(1e-8, 1e-7, 1e-6, 1e-3, 0.1)
        from wd in Gen.Elements(0.0, 0.0, 1e-4, 0.01, 0.3, 10.0)
        from bias in Gen.Elements(true, true, false) from clip in Gen.Elements(false, false, true)
        select new LambOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, WeightDecay = wd, BiasCorrection = bias, TrustClip = clip };

    /// <summary>u of one element from the state after the step and the parameter before it: the spec's formula, used by the bound.</summary>
    static T Direction<T>(LambOptions o, long t, T m, T v, T p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (bc1, bc2) = Lamb.BiasCorrections(o, t);
        T u = m / T.CreateTruncating(bc1) / (T.Sqrt(v / T.CreateTruncating(bc2)) + T.CreateTruncating(o.Epsilon));
        return o.WeightDecay != 0 ? u + T.CreateTruncating(o.WeightDecay) * p : u;
    }

    static double Norm<T>(IEnumerable<T> x) where T : IFloatingPointIeee754<T> =>
        Math.Sqrt(x.Sum(e => double.CreateTruncating(e) * double.CreateTruncating(e)));

    /// <summary>
    /// The bound on |p_fast - p_ref| for one step from the same state. Both paths compute the same bits of u (element-wise, same
    /// operations), so only the scale s = (T)(lr*r) differs. Derivation (Higham's gamma_k = k u/(1 - k u), u_d = 2^-53, u_T
    /// T's unit roundoff, n elements):
    /// <list type="number">
    /// <item>each sum of squares, in any order, is S(1 + theta), |theta| &lt;= gamma_n (n - 1 additions of non-negative terms,
    /// plus one rounding of each square for double; a float's square is exact in double);</item>
    /// <item>the norm sqrt(S(1 + theta))(1 + delta) is within gamma_(n+1) of the exact norm; the ratio of two norms, rounded
    /// once, within gamma_(2n+3) of the exact ratio r (min(r, 1) with the clip keeps the relative error);</item>
    /// <item>lr*r rounded in double and then to T: s = lr*r*(1 + e_s), |e_s| &lt;= E_s = (1 + gamma_(2n+4))(1 + u_T) - 1;
    /// so |s_f - s_r| &lt;= 2 E_s lr r;</item>
    /// <item>p - fl(s*u) rounded: p_x = (p - s_x u (1 + a_x))(1 + b_x), |a|, |b| &lt;= u_T, hence
    /// |p_f - p_r| &lt;= (|s_f - s_r| |u| + u_T (s_f + s_r) |u|)(1 + u_T) + u_T (|p_f| + |p_r|).</item>
    /// </list>
    /// lr*r is estimated here by the test's own double sums, within gamma_(2n+3) of the exact value, so lr*r &lt;= lr*r_test/(1 - gamma_(2n+3)).
    /// </summary>
    static double[] StepBound<T>(LambOptions o, long t, T[] pBefore, T[] m, T[] v, T[] pFast, T[] pRef, double lr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = pBefore.Length;
        double ud = Math.ScaleB(1, -53), uT = Bounds.UnitRoundoff<T>();
        T[] u = Enumerable.Range(0, n).Select(i => Direction(o, t, m[i], v[i], pBefore[i])).ToArray();
        double rTest = Lamb.TrustRatio(Norm(pBefore), Norm(u), o.TrustClip);
        double scale = lr * rTest / (1 - Bounds.Gamma(2L * n + 3, ud));
        double es = (1 + Bounds.Gamma(2L * n + 4, ud)) * (1 + uT) - 1;
        var bound = new double[n];
        for (int i = 0; i < n; i++)
        {
            double ui = Math.Abs(double.CreateTruncating(u[i]));
            bound[i] = (2 * es * scale * ui + uT * 2 * scale * (1 + es) * ui) * (1 + uT)
                       + uT * (Math.Abs(double.CreateTruncating(pFast[i])) + Math.Abs(double.CreateTruncating(pRef[i])));
        }
        return bound;
    }

    [Fact]
    public void Fast_equals_the_Reference_within_the_derived_bound_and_the_moments_bit_for_bit()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in Options from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 5) from width in Gen.Elements(SimdWidth.Available.ToArray())
                 select (o, n, seed, steps, width)).ToArbitrary(),
                x =>
                {
                    var reference = ReferenceOptimizers.For(x.o);
                    var fast = FastOptimizers.For(x.o);
                    T[] pRef = SeededInputs.Values<T>(x.n, x.seed, 1), pFast = (T[])pRef.Clone();
                    var sRef = reference.Init<T>(x.n); var sFast = fast.Init<T>(x.n);
                    for (int t = 0; t < x.steps; t++)
                    {
                        T[] g = SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t);
                        double lr = SeededInputs.LearningRate(x.seed, t);
                        string what = $"{typeof(T).Name} {x.o} n={x.n} width={x.width} step {t + 1}";

                        // One step of each path from the Reference's state: the bound is for one step.
                        var sOne = sRef.Clone();
                        T[] pOne = (T[])pRef.Clone(), before = (T[])pRef.Clone();
                        using (SimdWidth.Limit(x.width)) fast.Update(sOne, pOne, g, lr);
                        reference.Update(sRef, pRef, g, lr);
                        NumericAssert.BitExact(sRef, sOne, label: "state after one step from the same state, " + what);
                        NumericAssert.WithinBound<T>(pRef, pOne,
                            StepBound(x.o, t + 1, before, sRef.Slot("m").ToArray(), sRef.Slot("v").ToArray(), pOne, pRef, lr),
                            label: "parameters after one step from the same state, " + what);

                        // The Fast path on its own trajectory: its parameters drift within the bound, its moments never do.
                        using (SimdWidth.Limit(x.width)) fast.Update(sFast, pFast, g, lr);
                        NumericAssert.BitExact(sRef, sFast, label: "moments on the Fast path's own trajectory, " + what);
                    }
                    return true.ToProperty();
                }).Check(Cfg(60));
    }

    /// <summary>
    /// ||p_new - p|| = lr * ||p|| for any weight decay when neither norm is 0 and the ratio is not clipped: the step is
    /// lr * (||p||/||u||) * u. Tolerance: the step's scale s is within E_s (see <see cref="StepBound{T}"/>) of lr*r; each element
    /// of the step fl(p - fl(s u)) - p is within u_T s |u_i| (the product) plus u_T |p_new,i| (the subtraction) of -s u_i, so the
    /// step's norm is within E_s lr ||p|| + u_T (1 + E_s) lr ||p|| + u_T ||p_new|| of lr ||p||; the test's own norms (n + 2
    /// roundings each, the difference p_new - p included) add gamma_(n+2) of each side.
    /// </summary>
    [Fact]
    public void The_step_norm_is_lr_times_the_parameter_norm()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in Options from n in Gen.Choose(1, 3000) from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 4) from fast in Gen.Elements(false, true)
                 select (o: o with { TrustClip = false }, n, seed, steps, fast)).ToArbitrary(),
                x =>
                {
                    var opt = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    T[] p = SeededInputs.Values<T>(x.n, x.seed, 1);
                    var s = opt.Init<T>(x.n);
                    double ud = Math.ScaleB(1, -53), uT = Bounds.UnitRoundoff<T>();
                    double es = (1 + Bounds.Gamma(2L * x.n + 4, ud)) * (1 + uT) - 1, gm = Bounds.Gamma(x.n + 2, ud);
                    for (int t = 0; t < x.steps; t++)
                    {
                        T[] g = SeededInputs.Values<T>(x.n, x.seed, 10 + (ulong)t), before = (T[])p.Clone();
                        double lr = SeededInputs.LearningRate(x.seed, t);
                        opt.Update(s, p, g, lr);
                        T[] m = s.Slot("m").ToArray(), v = s.Slot("v").ToArray();
                        double uNorm = Norm(Enumerable.Range(0, x.n).Select(i => Direction(x.o, t + 1, m[i], v[i], before[i])));
                        double pNorm = Norm(before);
                        if (pNorm == 0 || uNorm == 0) continue;   // r = 1 there: not this law
                        double stepNorm = Math.Sqrt(Enumerable.Range(0, x.n)
                            .Sum(i => Math.Pow(double.CreateTruncating(p[i]) - double.CreateTruncating(before[i]), 2)));
                        double expected = lr * pNorm;
                        double tol = (es + uT * (1 + es)) * expected * (1 + gm) + uT * Norm(p) * (1 + gm)
                                     + gm * (stepNorm + expected);
                        if (!(Math.Abs(stepNorm - expected) <= tol))
                            return false.Label($"{typeof(T).Name} {x.o} n={x.n} step {t + 1}: ||dp|| {stepNorm:R}, lr*||p|| {expected:R}, tol {tol:R}");
                    }
                    return true.ToProperty();
                }).Check(Cfg(100));
    }

    /// <summary>
    /// Gradients scaled by c = 2^k give the same parameters bit for bit once eps is negligible: m scales by c and v by c^2
    /// exactly (products by powers of two are exact while nothing underflows or overflows), sqrt(v) by c exactly, so
    /// m_hat/sqrt(v_hat) is the same number, provided eps is absorbed (below half an ulp of sqrt(v_hat), both scaled and not):
    /// gradients here have |g| in [2^-20, 2^10] and betas are 0 or in [1e-3, 1), so over at most 5 steps sqrt(v_hat) stays above
    /// about 2^-80 (scaled by at most 2^-8), and eps = 1e-40 (a float subnormal, 2^-132 or so) is below half an ulp of it in
    /// float and double; every square stays in the normal range of float (2^-126 .. 2^128).
    /// </summary>
    [Fact]
    public void Gradients_scaled_by_a_power_of_two_give_the_same_parameters_bit_for_bit()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(
                (from o in Options.Where(o => (o.Beta1 == 0 || o.Beta1 >= 1e-3) && (o.Beta2 == 0 || o.Beta2 >= 1e-3))
                 from n in SpanGen.Length from seed in ArbMap.Default.GeneratorFor<ulong>()
                 from steps in Gen.Choose(1, 5) from k in Gen.Choose(-8, 8).Where(k => k != 0) from fast in Gen.Elements(false, true)
                 select (o: o with { Epsilon = 1e-40 }, n, seed, steps, k, fast)).ToArbitrary(),
                x =>
                {
                    var opt = x.fast ? FastOptimizers.For(x.o) : ReferenceOptimizers.For(x.o);
                    T c = T.CreateTruncating(Math.ScaleB(1.0, x.k));
                    T[] p1 = SeededInputs.Values<T>(x.n, x.seed, 1), p2 = (T[])p1.Clone();
                    var s1 = opt.Init<T>(x.n); var s2 = opt.Init<T>(x.n);
                    for (int t = 0; t < x.steps; t++)
                    {
                        T[] g = Enumerable.Range(0, x.n).Select(i => Gradient<T>(x.seed, t, i)).ToArray();
                        double lr = SeededInputs.LearningRate(x.seed, t);
                        opt.Update(s1, p1, g, lr);
                        opt.Update(s2, p2, g.Select(e => e * c).ToArray(), lr);
                    }
                    NumericAssert.BitExact<T>(p1, p2, label: $"{typeof(T).Name} {x.o} parameters with gradients x 2^{x.k}");
                    NumericAssert.BitExact<T>(s1.Slot("m").ToArray().Select(e => e * c).ToArray(), s2.Slot("m").ToArray(), label: "m x 2^k");
                    return true.ToProperty();
                }).Check(Cfg(100));
    }

    /// <summary>|g| = 2^e * (1 + f), e in [-20, 9], f in [0, 1): [2^-20, 2^10), random sign.</summary>
    static T Gradient<T>(ulong seed, int step, int i) where T : IFloatingPointIeee754<T>
    {
        ulong bits = CounterRng.Bits(seed, 50 + (ulong)step, (ulong)i);
        double f = CounterRng.Uniform(seed, 90 + (ulong)step, (ulong)i);
        double g = Math.ScaleB(1 + f, (int)(bits % 30) - 20);
        return T.CreateTruncating((bits & 0x1000) == 0 ? g : -g);
    }

    [Fact]
    public void Zero_parameters_take_the_plain_Adam_direction_and_a_NaN_gradient_makes_the_whole_tensor_NaN()
    {
        foreach (bool fast in new[] { false, true })
        {
            var o = new LambOptions();
            var opt = fast ? FastOptimizers.For(o) : ReferenceOptimizers.For(o);
            // ||p|| = 0: r = 1, so every element moves by lr*u; at t = 1, u = g/(|g| + eps) up to a few roundings (m_hat = g, v_hat = g^2 in exact arithmetic).
            double[] p = new double[37], g = Enumerable.Range(0, 37).Select(i => i % 2 == 0 ? 0.5 : -2.0).ToArray();
            opt.Update(opt.Init<double>(37), p, g, 0.1);
            for (int i = 0; i < 37; i++)
                Assert.Equal(-0.1 * (g[i] / (Math.Abs(g[i]) + 1e-6)), p[i], 12);
            // One NaN gradient: its u is NaN, so ||u|| and the ratio are NaN and every element becomes NaN (Optax's behaviour).
            double[] q = Enumerable.Repeat(1.0, 37).ToArray();
            g[5] = double.NaN;
            opt.Update(opt.Init<double>(37), q, g, 0.1);
            Assert.All(q, e => Assert.True(double.IsNaN(e)));
        }
    }

    [Fact]
    public void The_text_form_reads_every_key_and_a_bad_key_is_one_line()
    {
        var spec = OptimizerParser.Parse("lamb:beta1=0.8,beta2=0.99,eps=1e-8,weight_decay=0.01,bias_correction=false,trust_clip=true");
        Assert.Equal(new LambOptions { Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-8, WeightDecay = 0.01, BiasCorrection = false, TrustClip = true }, spec.Options);
        Assert.Equal(spec, OptimizerParser.Parse(OptimizerParser.Print(spec)));
        var e = Assert.Throws<ArgumentException>(() => OptimizerParser.Parse("lamb:momentum=0.9"));
        Assert.Contains("unknown key 'momentum'", e.Message);
        Assert.Contains("trust_clip", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

/// <summary>A tensor above the parallel threshold: the Fast path's bits do not depend on the thread count. Both passes go
/// to the pool (the first pass's tile sums are added in tile order on the calling thread), and the collection runs alone,
/// so on 2 and 3 threads each update makes exactly two parallel runs.</summary>
[Collection(nameof(ParallelUpdateProperties))]
public class LambParallelProperties
{
    [Fact]
    public void Large_tensor_updates_give_the_same_bits_on_one_two_and_three_threads()
    {
        int previous = FastOptimizers.MaxDegreeOfParallelism;
        try
        {
            var o = new LambOptions { WeightDecay = 0.01 };
            int n = KernelDriver.ParallelMin + 3 * KernelDriver.ParallelBlock + 29;
            float[]? first = null;
            OptimizerState<float>? firstState = null;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                FastOptimizers.MaxDegreeOfParallelism = threads;
                var opt = FastOptimizers.For(o);
                float[] p = SeededInputs.Values<float>(n, 7, 1);
                var s = opt.Init<float>(n);
                long runsBefore = KernelDriver.ParallelRuns;
                for (int t = 0; t < 2; t++) opt.Update(s, p, SeededInputs.Values<float>(n, 7, 10 + (ulong)t), 1e-2);
                long runs = KernelDriver.ParallelRuns - runsBefore;
                if (threads > 1 && Environment.ProcessorCount > 1)
                    Assert.True(runs == 4, $"{threads} threads: {runs} parallel runs in 2 updates, expected 4 (first pass and step each)");
                if (first is null) { first = p; firstState = s; }
                else
                {
                    NumericAssert.BitExact<float>(first, p, label: $"parameters on {threads} threads against 1");
                    NumericAssert.BitExact(firstState!, s, label: $"state on {threads} threads against 1");
                }
            }
        }
        finally { FastOptimizers.MaxDegreeOfParallelism = previous; }
    }
}
