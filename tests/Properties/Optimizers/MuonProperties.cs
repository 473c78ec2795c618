using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Muon. double: the Fast twin (vectorized i-k-j products, each entry from 0 in k order) equals the Reference (naive
/// loops) bit for bit. float: the Fast twin's SGEMM sums in FMA chains per K block, so one product is within
/// 2 gamma_k sum|a||b| of the Reference's and one Newton-Schulz iteration within the bound propagated below. Laws: the
/// iteration acts on singular values as the scalar quintic (5 iterations, double, derived tolerance), and NS(2^j G) = NS(G),
/// NS(-G) = -NS(G) bit for bit on both paths and types.
/// </summary>
public class MuonProperties
{
    /// <summary>Rank 2 (wide and tall, so the transposed path runs) and rank 4 (convolution kernels [out, in, kh, kw]).</summary>
    static readonly Gen<int[]> Shapes = Gen.OneOf(
        from r in Gen.Choose(1, 12) from c in Gen.Choose(1, 40) select new[] { r, c },
        from r in Gen.Choose(1, 40) from c in Gen.Choose(1, 12) select new[] { r, c },
        from o in Gen.Choose(1, 8) from i in Gen.Choose(1, 3) from k in Gen.Choose(1, 3) select new[] { o, i, k, k });

    static int Product(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    static Gen<T> Typical<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Gen.Frequency((22, FloatGen.InBinades<T>(-10, 10)), (1, FloatGen.OfClass<T>(FloatClass.Zero)));

    static void FastEqualsReferenceDouble(Gen<double> values) =>
        Prop.ForAll((from options in HyperGen.Muon
                     from shape in Shapes
                     from p in Gen.ArrayOf(values, Product(shape))
                     from gs in Gen.ArrayOf(Gen.ArrayOf(values, Product(shape)), 3)
                     from lr in HyperGen.LearningRate
                     select (options, shape, p, gs, lr)).ToArbitrary(), c =>
        {
            var (options, shape, p0, gs, lr) = c;
            foreach (var width in SimdWidth.Available.Prepend(VectorWidth.Scalar))
            {
                using var _ = SimdWidth.Limit(width);
                IOptimizer reference = ReferenceOptimizers.For(options), fast = FastOptimizers.For(options);
                var sr = reference.Init<double>(shape); var sf = fast.Init<double>(shape);
                double[] pr = (double[])p0.Clone(), pf = (double[])p0.Clone();
                for (int t = 0; t < gs.Length; t++)
                {
                    reference.Update(sr, pr, gs[t], lr);
                    fast.Update(sf, pf, gs[t], lr);
                    NumericAssert.BitExact<double>(pr, pf, label: $"step {t + 1}, {width}, shape [{string.Join(", ", shape)}], {options}");
                    NumericAssert.BitExact(sr, sf, label: $"state, step {t + 1}, {width}");
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

    [Fact] public void Fast_equals_reference_bit_for_bit_in_double() => FastEqualsReferenceDouble(Typical<double>());
    [Fact] public void Fast_equals_reference_bit_for_bit_in_double_on_the_whole_range() => FastEqualsReferenceDouble(FloatGen.AnyClass<double>());

    /// <summary>
    /// One float product: both compute each entry with at most k roundings of sums whose terms' magnitudes add up to
    /// sum_q |a_iq b_qj| (the naive loop: k additions after exact... rounded products; the SGEMM: one FMA per term, the K blocks
    /// added in order), so each is within gamma_k sum|a||b| (+ k lambda/2 for underflow, Bounds.GemmEntry) of the exact
    /// product, and they are within twice that of each other.
    /// </summary>
    [Fact]
    public void One_float_product_is_within_twice_the_gemm_bound_of_the_naive_loop()
    {
        Prop.ForAll((from m in Gen.Choose(1, 20) from k in Gen.Choose(1, 600) from n in Gen.Choose(1, 40)
                     from t in Gen.Elements(false, true)
                     from a in Gen.ArrayOf(Typical<float>(), m * k) from b in Gen.ArrayOf(Typical<float>(), k * n)
                     select (m, k, n, t, a, b)).ToArbitrary(), c =>
        {
            var (m, k, n, transposed, a, b) = c;
            if (transposed) b = b.Take(n * k).ToArray();   // stored [n x k]
            float[] fast = new float[m * n], naive = new float[m * n];
            new GemmProduct<float>().Multiply(a, b, transposed, fast, m, k, n);
            new NaiveProduct<float>().Multiply(a, b, transposed, naive, m, k, n);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += Math.Abs((double)a[i * k + q] * (transposed ? b[j * k + q] : b[q * n + j]));
                    double bound = 2 * Bounds.GemmEntry(k, s * (1 + 1e-12), 0, Bounds.UnitRoundoff<float>(), Bounds.SmallestSubnormal<float>());
                    Assert.True(Math.Abs((double)fast[i * n + j] - naive[i * n + j]) <= bound, $"C[{i},{j}]: {fast[i * n + j]:R} vs {naive[i * n + j]:R}, bound {bound:R}");
                }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    /// <summary>
    /// One Newton-Schulz iteration in float from the same X [m x k], Fast (SGEMM) against Reference (naive loops), within
    /// twice the forward bound E' that each path's result satisfies against the exact iteration (with the coefficients as
    /// the paths hold them, a, b, c rounded to float). With u = 2^-24, g_n = gamma_n(u), |.| entrywise and products of
    /// nonnegative matrices: E_A = g_k |X||X|^T; M_A = |A| + E_A;  E_A2 = E_A M_A + |A| E_A + g_m M_A M_A;
    /// E_B = |b| E_A + |c| E_A2 + u(|b| M_A + |c| (|A2| + E_A2)) + u(|b| M_A + |c| (|A2| + E_A2))(1 + u);
    /// E_Y = E_B |X| + g_m (|B| + E_B) |X|;  E' = u|a||X| + E_Y + u((1+u)|a||X| + |Y| + E_Y).
    /// (A fl(x+y) with |x^-x| &lt;= e_x, |y^-y| &lt;= e_y is within e_x + e_y + u(|x| + e_x + |y| + e_y).) The exact A, A2, B, Y
    /// are computed here in double; their own rounding (below 1e-13 relative at these sizes) is covered by a factor 1 + 1e-9.
    /// </summary>
    [Fact]
    public void One_float_newton_schulz_iteration_is_within_the_propagated_bound()
    {
        var o = new MuonOptions();
        Prop.ForAll((from m in Gen.Choose(1, 12) from extra in Gen.Choose(0, 40)
                     from x in Gen.ArrayOf(Typical<float>(), m * (m + extra))
                     select (m, m + extra, x)).ToArbitrary(), c =>
        {
            var (m, k, x0) = c;
            // normalized as the step does (by the Frobenius norm), so the magnitudes are the iteration's
            double norm = Math.Sqrt(x0.Sum(v => (double)v * v));
            if (norm == 0) return;
            float[] x = x0.Select(v => (float)(v / norm)).ToArray();
            float[] xf = (float[])x.Clone(), xr = (float[])x.Clone();
            Muon.NewtonSchulz(o, xf, new float[m * k], new float[m * m], new float[m * m], new float[m * m], m, k, new GemmProduct<float>(), steps: 1);
            Muon.NewtonSchulz(o, xr, new float[m * k], new float[m * m], new float[m * m], new float[m * m], m, k, new NaiveProduct<float>(), steps: 1);
            // the entrywise bound with a, b, c as the float paths hold them
            double[] e = IterationEntryBounds((float)o.A, (float)o.B, (float)o.C, x.Select(v => (double)v).ToArray(), m, k, Bounds.UnitRoundoff<float>());
            for (int i = 0; i < m * k; i++)
            {
                double bound = 2 * e[i] * (1 + 1e-9);
                Assert.True(Math.Abs((double)xf[i] - xr[i]) <= bound, $"X'[{i}] = {xf[i]:R} (Fast) vs {xr[i]:R} (Reference), bound {bound:R}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    static double[] Mul(double[] a, double[] b, int m, int k, int n, bool bTransposed)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int q = 0; q < k; q++) s += a[i * k + q] * (bTransposed ? b[j * k + q] : b[q * n + j]);
                c[i * n + j] = s;
            }
        return c;
    }
    static double[] Abs(double[] a) => a.Select(Math.Abs).ToArray();
    static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();
    static double[] Scale(double[] a, double s) => a.Select(x => x * s).ToArray();

    /// <summary>Eigenvalues of a symmetric n x n matrix (cyclic Jacobi, to convergence in double), ascending.</summary>
    static double[] SymmetricEigenvalues(double[] s, int n)
    {
        var a = (double[])s.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off < 1e-60) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p * n + q] == 0) continue;
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double cs = 1 / Math.Sqrt(t * t + 1), sn = t * cs;
                    for (int r = 0; r < n; r++)
                    {
                        double arp = a[r * n + p], arq = a[r * n + q];
                        a[r * n + p] = cs * arp - sn * arq; a[r * n + q] = sn * arp + cs * arq;
                    }
                    for (int r = 0; r < n; r++)
                    {
                        double apr = a[p * n + r], aqr = a[q * n + r];
                        a[p * n + r] = cs * apr - sn * aqr; a[q * n + r] = sn * apr + cs * aqr;
                    }
                }
        }
        return Enumerable.Range(0, n).Select(i => a[i * n + i]).Order().ToArray();
    }

    static double[] SingularValues(double[] x, int m, int k) =>
        SymmetricEigenvalues(Mul(x, x, m, k, m, true), m).Select(l => Math.Sqrt(Math.Max(l, 0))).ToArray();

    /// <summary>
    /// Law (orthogonalization): X' = aX + b(XX^T)X + c(XX^T)^2 X = U p(S) V^T for X = U S V^T, so 5 iterations from
    /// X0 = G/||G||_F give singular values p^5(sigma_i(G)/||G||_F), p(s) = a s + b s^3 + c s^5; for a random wide G
    /// (k &gt;= 2m, so sigma_min/||G||_F is not tiny) they all land in [0.68, 1.2]: X' X'^T is the identity to within that
    /// band, the iteration's design (Jordan 2024: "S' ~ Uniform(0.5, 1.5)"). Checked on the double paths, Reference and
    /// Fast. Tolerance: each iteration's rounding is at most E' (the float test's bound with u = 2^-53), entrywise, so in
    /// Frobenius norm e_t = ||E'_t||_F; the map's Lipschitz constant on matrices of spectral norm &lt;= r is at most
    /// L = |a| + 3|b| r^2 + 5|c| r^4 (d(XX^TX) = 3 r^2, d((XX^T)^2 X) = 5 r^4), r = 1.3 bounding every iterate; so the
    /// computed iterate is within delta = sum_t e_t L^(5-t) of the exact one, and (Weyl) every singular value too. The
    /// eigenvalue solver's own error (1e-14 of sigma_max^2 = 1 at most) adds 1e-7 to each sqrt below 1e-14/sigma_min.
    /// </summary>
    [Fact]
    public void Five_iterations_map_the_singular_values_by_the_quintic_into_the_band()
    {
        var o = new MuonOptions();
        Prop.ForAll((from m in Gen.Choose(1, 8) from k in Gen.Choose(2 * m, 40)
                     from seed in Gen.Choose(0, 100000)
                     select (m, k, seed)).ToArbitrary(), c =>
        {
            var (m, k, seed) = c;
            var rng = new Random(seed);
            double[] g = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            double fro = Math.Sqrt(g.Sum(v => v * v));
            double[] expected = SingularValues(g, m, k).Select(s =>
            {
                double x = s / fro;
                for (int t = 0; t < 5; t++) x = o.A * x + o.B * x * x * x + o.C * x * x * x * x * x;
                return x;
            }).Order().ToArray();
            Assert.All(expected, s => Assert.InRange(s, 0.68, 1.2));

            double u = Bounds.UnitRoundoff<double>(), r = 1.3, lip = Math.Abs(o.A) + 3 * Math.Abs(o.B) * r * r + 5 * Math.Abs(o.C) * Math.Pow(r, 4);
            foreach (bool fast in new[] { false, true })
            {
                double[] x = g.Select(v => v / fro).ToArray();
                double delta = 0;
                for (int t = 0; t < 5; t++)
                {
                    delta = delta * lip + IterationBound(o, x, m, k, u);
                    if (fast) Muon.NewtonSchulz(o, x, new double[m * k], new double[m * m], new double[m * m], new double[m * m], m, k, new GemmProduct<double>(), steps: 1);
                    else Muon.NewtonSchulz(o, x, new double[m * k], new double[m * m], new double[m * m], new double[m * m], m, k, new NaiveProduct<double>(), steps: 1);
                }
                double[] got = SingularValues(x, m, k);
                for (int i = 0; i < m; i++)
                    Assert.True(Math.Abs(got[i] - expected[i]) <= delta + 1e-7, $"{(fast ? "Fast" : "Reference")}: sigma_{i} = {got[i]:R}, p^5 = {expected[i]:R}, delta {delta:R}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    /// <summary>||E'||_F for one iteration from X (the float test's entrywise bound, in the precision of <paramref name="u"/>),
    /// with the exact arithmetic's own rounding covered by a factor 1 + 1e-9.</summary>
    static double IterationBound(MuonOptions o, double[] X, int m, int k, double u) =>
        Math.Sqrt(IterationEntryBounds(o.A, o.B, o.C, X, m, k, u).Sum(e => e * e)) * (1 + 1e-9);

    /// <summary>The entrywise forward bound E' of one Newton-Schulz iteration from X [m x k] (derived in the summary of
    /// <see cref="One_float_newton_schulz_iteration_is_within_the_propagated_bound"/>), for the coefficients a, b, c as the
    /// path holds them and unit roundoff u; the exact A, A2, B, Y in double.</summary>
    static double[] IterationEntryBounds(double ca, double cb, double cc, double[] X, int m, int k, double u)
    {
        double[] aX = Abs(X);
        double[] A = Mul(X, X, m, k, m, true), aA = Abs(A);
        double[] EA = Scale(Mul(aX, aX, m, k, m, true), Bounds.Gamma(k, u));
        double[] MA = Add(aA, EA);
        double[] A2 = Mul(A, A, m, m, m, false), aA2 = Abs(A2);
        double[] EA2 = Add(Add(Mul(EA, MA, m, m, m, false), Mul(aA, EA, m, m, m, false)), Scale(Mul(MA, MA, m, m, m, false), Bounds.Gamma(m, u)));
        double[] terms = Add(Scale(MA, Math.Abs(cb)), Scale(Add(aA2, EA2), Math.Abs(cc)));
        double[] EB = Add(Add(Scale(EA, Math.Abs(cb)), Scale(EA2, Math.Abs(cc))), Scale(terms, u + u * (1 + u)));
        double[] B = Add(Scale(A, cb), Scale(A2, cc)), aB = Abs(B);
        double[] aY = Abs(Mul(B, X, m, m, k, false));
        double[] EY = Add(Mul(EB, aX, m, m, k, false), Scale(Mul(Add(aB, EB), aX, m, m, k, false), Bounds.Gamma(m, u)));
        var e = new double[m * k];
        for (int i = 0; i < m * k; i++)
            e[i] = u * Math.Abs(ca) * aX[i] + EY[i] + u * ((1 + u) * Math.Abs(ca) * aX[i] + aY[i] + EY[i]);
        return e;
    }

    /// <summary>
    /// Law (scale and sign invariance): with momentum 0 and no Nesterov the orthogonalized matrix is NS(G/||G||_F); scaling G by
    /// 2^j scales every square, the sum and (correctly rounded) its square root by exact powers of two, so G/||G|| and everything
    /// after are the same bits; -G gives -NS(G) bit for bit (every operation is odd or even in X under round-to-nearest), up to
    /// the sign of zero where the step is exactly 0 (p = 0 + (+-0) = +0 both ways).
    /// From p = 0 the step is lr*factor*NS: compared bit for bit, float and double, Reference and Fast.
    /// </summary>
    [Fact]
    public void Scaling_the_gradient_by_a_power_of_two_changes_nothing_and_negating_it_negates_the_step()
    {
        Prop.ForAll(Shapes.ToArbitrary(), Gen.Choose(-20, 20).ToArbitrary(), Gen.Choose(0, 10000).ToArbitrary(), (shape, j, seed) =>
        {
            Check<float>(shape, j, seed);
            Check<double>(shape, j, seed);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));

        static void Check<T>(int[] shape, int j, int seed) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var options = new MuonOptions { Momentum = 0, Nesterov = false, WeightDecay = 0 };
            int n = Product(shape);
            T[] g = SeededInputs.Values<T>(n, (ulong)seed, 1);
            T scale = T.ScaleB(T.One, j);
            foreach (var opt in new[] { ReferenceOptimizers.For(options), FastOptimizers.For(options) })
            {
                T[] Step(T[] grad) { var p = new T[n]; opt.Update(opt.Init<T>(shape), p, grad, 0.01); return p; }
                T[] plain = Step(g);
                NumericAssert.BitExact<T>(plain, Step(g.Select(x => x * scale).ToArray()), label: $"2^{j} G, {opt.GetType().Name}");
                // where the step is exactly 0, p = 0 + (+-0) is +0 either way: signed zeros are compared as zero (x + 0 maps -0 to +0)
                NumericAssert.BitExact<T>(plain.Select(x => -x + T.Zero).ToArray(), Step(g.Select(x => -x).ToArray()).Select(x => x + T.Zero).ToArray(), label: $"-G, {opt.GetType().Name}");
            }
        }
    }

    [Fact]
    public void A_step_matches_torch_s_formula_on_a_one_by_two_matrix()
    {
        // G = [3, 4] (1 x 2), momentum 0, no Nesterov: X0 = [0.6, 0.8], singular value 1, mapped by p(s) = a s + b s^3 + c s^5
        // five times (p(1) = 0.701, ...), so O = p^5(1) * [0.6, 0.8]; factor sqrt(max(1, 1/2)) = 1; p = p*(1 - lr*wd) - lr*O.
        var o = new MuonOptions { Momentum = 0, Nesterov = false };
        var muon = new Muon(o);
        var s = muon.Init<double>([1, 2]);
        double[] p = [1, 1];
        muon.Update(s, p, [3, 4], 0.1);
        double q = 1;
        for (int t = 0; t < 5; t++) q = o.A * q + o.B * q * q * q + o.C * Math.Pow(q, 5);
        Assert.Equal(1 * (1 - 0.1 * 0.1) - 0.1 * q * 0.6, p[0], 12);
        Assert.Equal(1 * (1 - 0.1 * 0.1) - 0.1 * q * 0.8, p[1], 12);
    }

    [Fact]
    public void Tensors_of_other_ranks_are_refused_in_one_line_and_routed_to_adamw_by_the_grouping()
    {
        var muon = new FastMuon(new MuonOptions());
        var e = Assert.Throws<ArgumentException>(() => muon.Init<float>([10]));
        Assert.Contains("muon updates matrices (rank 2) and convolution kernels (rank 4", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var w = new Parameter("W", [3, 4], new float[12], SeededInputs.Values<float>(12, 1, 1));
        var conv = new Parameter("K", [2, 1, 3, 3], new float[18], SeededInputs.Values<float>(18, 1, 2));
        var bias = new Parameter("b", [3], new float[3], SeededInputs.Values<float>(3, 1, 3));
        var options = new MuonOptions();
        var set = new OptimizerSet(muon, null, [w, conv, bias], grouping: new ParameterGrouping([MuonGrouping.Fallback(options)], FastOptimizers.For));
        Assert.Equal(["muon", "muon", "adamw"], set.States.Select(st => st.Optimizer));
        Assert.Equal([2, 1, 3, 3], set.States[1].Shape);
        set.Step([w, conv, bias], 0.02);
        Assert.All(new[] { w, conv, bias }, p => Assert.Contains(p.Values.ToArray(), v => v != 0));
    }

    [Fact]
    public void Bad_options_name_the_option_and_what_is_allowed()
    {
        Assert.Contains("NsSteps must be in [0, 99]", Assert.Throws<ArgumentOutOfRangeException>(() => new MuonOptions { NsSteps = 100 }).Message);
        var e = Assert.Throws<ArgumentException>(() => OptimizerParser.Parse("muon:ns_steps=2.5"));
        Assert.Contains("ns_steps=2.5 is out of range; allowed: an integer in [0, 99]", e.Message);
        Assert.Contains("'muon' takes keys: momentum, nesterov, weight_decay, ns_steps, eps, adjust_lr (original | match_rms_adamw), adamw_beta1", e.Message);
        var spec = OptimizerParser.Parse("muon:momentum=0.9,adjust_lr=match_rms_adamw,adamw_weight_decay=0,adamw_lr_scale=0.05");
        Assert.Equal(spec, OptimizerParser.Parse(OptimizerParser.Print(spec)));
        Assert.Equal(0.0, ((MuonOptions)spec.Options).Fallback.WeightDecay);
    }
}
