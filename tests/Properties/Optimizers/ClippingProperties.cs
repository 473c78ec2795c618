using NetNumerics.Training;
using NetNumerics.Nn;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

public class ClippingProperties
{
    static Config Cfg(int n) => Config.QuickThrowOnFailure.WithMaxTest(n);
    static readonly double Ud = Bounds.UnitRoundoff<double>();

    static Gen<(int[] Lengths, ulong Seed, VectorWidth Width)> Tensors =>
        from k in Gen.Choose(0, 5)
        from lengths in SpanGen.Length.ArrayOf(k)
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from width in Gen.Elements(SimdWidth.Available.ToArray())
        select (lengths, seed, width);

    static T[][] Make<T>(int[] lengths, ulong seed) where T : IFloatingPointIeee754<T> =>
        lengths.Select((n, j) => SeededInputs.Values<T>(n, seed, 100 + (ulong)j)).ToArray();

    [Fact]
    public void Clip_by_value_Fast_equals_Reference_bitwise_and_stays_within_the_clip()
    {
        Check<float>(); Check<double>();
        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll((from c in Tensors from clip in Gen.Elements(1e-3, 0.5, 1.0, 100.0) select (c, clip)).ToArbitrary(), x =>
            {
                var a = Make<T>(x.c.Lengths, x.c.Seed); var b = a.Select(t => (T[])t.Clone()).ToArray();
                foreach (var t in a) ReferenceClipping.Instance.ClipByValue<T>(t, x.clip);
                using (SimdWidth.Limit(x.c.Width))
                    foreach (var t in b) FastClipping.Instance.ClipByValue<T>(t, x.clip);
                T hi = T.CreateTruncating(x.clip);
                for (int j = 0; j < a.Length; j++) NumericAssert.BitExact<T>(a[j], b[j], label: $"tensor {j} at width {x.c.Width}");
                return a.All(t => t.All(v => v <= hi && v >= -hi)).Label("within the clip");
            }).Check(Cfg(150));
    }

    /// <summary>
    /// Clip by value on the whole range (subnormals, infinities clamp to the clip, NaN stays NaN with its payload:
    /// IEEE maximum and minimum return the NaN operand), at every width, through the kit's harness with the Reference
    /// clipper as the per-element reference. Payload-exact (the kit's opt-in): one NaN at most reaches each max/min here.
    /// </summary>
    [Fact]
    public void Clip_by_value_Fast_equals_Reference_bitwise_on_the_whole_range()
    {
        foreach (double clip in new[] { 1e-3, 1.0, 3e38 })
        {
            KernelCheck.Elementwise<float>(1, e => ReferenceClipping.Instance.ClipByValue(e, clip), b => FastClipping.Instance.ClipByValue<float>(b[0], clip),
                new KernelCheckOptions<float> { MaxTest = 50, Nan = NanPolicy.PayloadExact });
            KernelCheck.Elementwise<double>(1, e => ReferenceClipping.Instance.ClipByValue(e, clip), b => FastClipping.Instance.ClipByValue<double>(b[0], clip),
                new KernelCheckOptions<double> { MaxTest = 50, Nan = NanPolicy.PayloadExact });
        }
    }

    // Both paths add the same exact-or-rounded double squares a_i >= 0 (for float the square of a
    // float is exact in double), in different orders. Each sum is within gamma_(n-1) * S of the exact
    // sum S (Higham, Lemma 3.1 for recursive/pairwise summation of non-negative terms), so the sums
    // differ by at most 2 gamma_(n-1) S <= 2 gamma_(n-1) S_ref / (1 - gamma_(n-1)); sqrt halves a
    // relative error and adds u, so |N_fast - N_ref| <= (2 gamma_(n-1) + 3u) N_ref / (1 - 2 gamma_(n-1)).
    [Fact]
    public void Global_norm_Fast_and_Reference_agree_within_the_summation_bound()
    {
        Check<float>(); Check<double>();
        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(Tensors.ToArbitrary(), c =>
            {
                var a = Make<T>(c.Lengths, c.Seed).Select(t => (ReadOnlyMemory<T>)t).ToArray();
                double r = ReferenceClipping.Instance.GlobalNorm<T>(a), f = FastClipping.Instance.GlobalNorm<T>(a);
                long n = c.Lengths.Sum();
                double g = Bounds.Gamma(Math.Max(n - 1, 1), Ud);
                double bound = (2 * g + 3 * Ud) * r / (1 - 2 * g);
                return (Math.Abs(f - r) <= bound).Label($"n={n} ref {r:R} fast {f:R} bound {bound:R}");
            }).Check(Cfg(150));
    }

    // The Fast norm's order is written down (SquareSum): per tensor, 8 partial sums of the double squares (element i of each
    // whole run of 8 into partial i mod 8, in order), added as ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7)), then the
    // tail left to right; the tensors' sums added in order, then sqrt. The same at every vector width cap and on machines
    // with or without AVX-512 (it used to be 16 lanes on AVX-512 and left to right elsewhere), so bit for bit against this
    // scalar model.
    [Fact]
    public void Global_norm_sums_in_one_written_order_at_every_vector_width()
    {
        Check<float>(); Check<double>();
        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll(Tensors.ToArbitrary(), c =>
            {
                var a = Make<T>(c.Lengths, c.Seed);
                double sum = 0;
                foreach (var t in a)
                {
                    double model = ModelSquareSum(t);
                    // the scalar path of machines without Vector256, run here too
                    double scalar = NetNumerics.Fast.Kernels.SquareSum.Scalar<T>(t);
                    if (BitConverter.DoubleToInt64Bits(scalar) != BitConverter.DoubleToInt64Bits(model))
                        return false.Label($"SquareSum's scalar path on {t.Length} elements: {scalar:R}, model {model:R}");
                    sum += model;
                }
                double f;
                using (SimdWidth.Limit(c.Width)) f = FastClipping.Instance.GlobalNorm<T>(a.Select(t => (ReadOnlyMemory<T>)t).ToArray());
                return (BitConverter.DoubleToInt64Bits(f) == BitConverter.DoubleToInt64Bits(Math.Sqrt(sum)))
                    .Label($"lengths [{string.Join(", ", c.Lengths)}] at width {c.Width}: fast {f:R}, model {Math.Sqrt(sum):R}");
            }).Check(Cfg(150));

        static double ModelSquareSum<T>(T[] x) where T : IFloatingPointIeee754<T>
        {
            var s = new double[8];
            int whole = x.Length / 8 * 8;
            for (int i = 0; i < whole; i++) { double d = double.CreateTruncating(x[i]); s[i % 8] += d * d; }
            double sum = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
            for (int i = whole; i < x.Length; i++) { double d = double.CreateTruncating(x[i]); sum += d * d; }
            return sum;
        }
    }

    // After clipping with N > max: g'_i = fl(g_i * s), s = fl_T(fl_d(max/N)) <= (max/N)(1+u_d)(1+u_T), so
    // |g'_i| <= |g_i| (max/N)(1+u_d)(1+u_T)^2 and ||g'|| <= ||g|| (max/N)(1+u_d)(1+u_T)^2. The computed N is
    // within (gamma_n + u_d) of ||g||, and the norm of g' is measured again in double (another gamma_n + u_d):
    // measured <= max (1+u_T)^2 (1 + 2 gamma_n + 3 u_d)/(1 - gamma_n - u_d), which for float is
    // <= max (1 + 4 u_T) because n u_d is far below u_T (checked). Below the threshold nothing changes.
    [Fact]
    public void Clip_by_global_norm_yields_norm_at_most_max_and_leaves_small_gradients_alone()
    {
        Check<float>(Bounds.UnitRoundoff<float>()); Check<double>(Ud);
        static void Check<T>(double uT) where T : unmanaged, IFloatingPointIeee754<T> =>
            Prop.ForAll((from c in Tensors from max in Gen.Elements(1e-3, 0.1, 1.0, 10.0, 1e4) from fast in Gen.Elements(false, true)
                         select (c, max, fast)).ToArbitrary(), x =>
            {
                IGradientClipper clipper = x.fast ? FastClipping.Instance : ReferenceClipping.Instance;
                var tensors = Make<T>(x.c.Lengths, x.c.Seed);
                var before = tensors.Select(t => (T[])t.Clone()).ToArray();
                long n = x.c.Lengths.Sum();
                double g = Bounds.Gamma(Math.Max(n, 1), Ud);
                double norm = clipper.ClipByGlobalNorm<T>(tensors.Select(t => (Memory<T>)t).ToArray(), x.max);
                double after = ReferenceClipping.Instance.GlobalNorm<T>(tensors.Select(t => (ReadOnlyMemory<T>)t).ToArray());
                if (norm <= x.max)
                {
                    for (int j = 0; j < tensors.Length; j++) NumericAssert.BitExact<T>(before[j], tensors[j], label: $"tensor {j}, unchanged below max");
                    return true.ToProperty();
                }
                double bound = x.max * (1 + uT) * (1 + uT) * (1 + 2 * g + 3 * Ud) / (1 - g - Ud);
                return (after <= bound && (uT > 1e-10 ? bound <= x.max * (1 + 4 * uT) : true)).Label($"after {after:R} bound {bound:R} max {x.max}");
            }).Check(Cfg(150));
    }

    // The object form over many tensors: Reference and Fast sets give the same bits (clip by value is
    // bit-exact; global-norm clipping is off here because its norm is a sum in a different order).
    [Fact]
    public void Optimizer_sets_Fast_equals_Reference_bitwise_over_many_tensors() =>
        Prop.ForAll((from o in FloatSafeOptions.Any from c in Tensors from steps in Gen.Choose(1, 4)
                     from clip in Gen.Elements(double.PositiveInfinity, 0.5) select (o, c, steps, clip)).ToArbitrary(), x =>
        {
            Parameter[] Params() => Make<float>(x.c.Lengths, x.c.Seed)
                .Select((v, j) => new Parameter($"w{j}", [v.Length], v, new float[v.Length])).ToArray();
            var pr = Params(); var pf = Params();
            var clipping = new ClippingOptions { ClipValue = x.clip };
            var sr = new OptimizerSet(ReferenceOptimizers.For(x.o), ReferenceClipping.Instance, pr, clipping);
            var sf = new OptimizerSet(FastOptimizers.For(x.o), FastClipping.Instance, pf, clipping);
            for (int t = 0; t < x.steps; t++)
            {
                for (int j = 0; j < pr.Length; j++)
                {
                    float[] g = SeededInputs.Values<float>(pr[j].Length, x.c.Seed, 1000 + (ulong)(t * 10 + j));
                    g.CopyTo(pr[j].Gradients); g.CopyTo(pf[j].Gradients);
                }
                double lr = SeededInputs.LearningRate(x.c.Seed, t);
                sr.Step(pr, lr); sf.Step(pf, lr);
            }
            for (int j = 0; j < pr.Length; j++)
            {
                NumericAssert.BitExact<float>(pr[j].Values.Span, pf[j].Values.Span, label: $"{x.o} tensor {j}");
                NumericAssert.BitExact(sr.States[j], sf.States[j], label: $"{x.o} tensor {j}");
            }
            return (sr.Steps == (pr.Length == 0 ? 0 : x.steps) && sf.Steps == sr.Steps).Label(x.o.ToString()!);
        }).Check(Cfg(100));
}
