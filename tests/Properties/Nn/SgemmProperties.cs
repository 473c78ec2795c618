using NetNumerics.Fast.Kernels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast;
using NetNumerics.Fast.Optimizers;
using static NetNumerics.Properties.Nn.NnCases;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Nn;

public class SgemmProperties
{
    /// <summary>
    /// C = C0 + A B against the exact product (double; products of grid values are exact in double and the sum of at
    /// most 601 of them is within 601 * 2^-53 relative, negligible): |C - exact| &lt;= gamma_{k+1} (|C0| + sum_l |a_il b_lj|).
    /// Shapes cross the 12 x 32 register tile and the 256-deep K block; A, B are random strided (transposed) views.
    /// </summary>
    [Property(MaxTest = 60)]
    public unsafe Property Gemm_is_within_gamma_k_of_the_exact_product() =>
        Prop.ForAll((from m in Gen.Choose(1, 40) from n in Gen.Choose(1, 70) from k in Gen.Choose(0, 600)
                     from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from acc in Gen.Elements(false, true)
                     from seed in Gen.Choose(0, int.MaxValue) select (m, n, k, ta, tb, acc, seed)).ToArbitrary(), t =>
        {
            var (m, n, k, ta, tb, acc, seed) = t;
            var rng = new Random(seed);
            var a = ToFloat(Grid(rng, m * k)); var b = ToFloat(Grid(rng, k * n)); var c0 = ToFloat(Grid(rng, m * n));
            var c = (float[])c0.Clone();
            int aRow = ta ? 1 : k, aCol = ta ? m : 1, bRow = tb ? 1 : n, bCol = tb ? k : 1;
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
                Sgemm.Multiply(m, n, k, pa, aRow, aCol, pb, bRow, bCol, pc, n, acc, new GemmWorkspace());
            double u = Bounds.UnitRoundoff<float>(), lambda = Bounds.SmallestSubnormal<float>();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double exact = acc ? c0[i * n + j] : 0, abs = 0;
                    for (int l = 0; l < k; l++)
                    {
                        double p = (double)a[i * aRow + l * aCol] * b[l * bRow + j * bCol];
                        exact += p; abs += Math.Abs(p);
                    }
                    double bound = Bounds.GemmEntry(k, abs, acc ? Math.Abs(c0[i * n + j]) : 0, u, lambda);
                    if (!(Math.Abs(c[i * n + j] - exact) <= bound))
                        return false.Label($"C[{i},{j}] = {c[i * n + j]:R}, exact {exact:R}, bound {bound:R}");
                }
            return true.Label("ok");
        });

    /// <summary>B packed once (<see cref="Sgemm.Pack"/>) then reused: the same operations in the same order as packing per call, so 0 ULP.</summary>
    [Property(MaxTest = 40)]
    public unsafe Property Multiply_with_prepacked_B_equals_multiply_bitwise() =>
        Prop.ForAll((from m in Gen.Choose(1, 40) from n in Gen.Choose(1, 70) from k in Gen.Choose(0, 600)
                     from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from acc in Gen.Elements(false, true)
                     from seed in Gen.Choose(0, int.MaxValue) select (m, n, k, ta, tb, acc, seed)).ToArbitrary(), t =>
        {
            var (m, n, k, ta, tb, acc, seed) = t;
            var rng = new Random(seed);
            var a = ToFloat(Grid(rng, m * k)); var b = ToFloat(Grid(rng, k * n)); var c0 = ToFloat(Grid(rng, m * n));
            var c1 = (float[])c0.Clone(); var c2 = (float[])c0.Clone();
            var packed = new float[Sgemm.PackedLength(k, n) + 16];
            int aRow = ta ? 1 : k, aCol = ta ? m : 1, bRow = tb ? 1 : n, bCol = tb ? k : 1;
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* p1 = c1) fixed (float* p2 = c2) fixed (float* pp = packed)
            {
                float* aligned = (float*)(((nint)pp + 63) & ~(nint)63);
                Sgemm.Multiply(m, n, k, pa, aRow, aCol, pb, bRow, bCol, p1, n, acc, new GemmWorkspace());
                Sgemm.Pack(k, n, pb, bRow, bCol, aligned);
                Sgemm.MultiplyPacked(m, n, k, pa, aRow, aCol, aligned, p2, n, acc, new GemmWorkspace());
            }
            NumericAssert.BitExact<float>(c1, c2, label: $"{m}x{n}x{k} packed vs unpacked");
            return true.ToProperty();
        });

    /// <summary>
    /// C = A^T B read in place (the conv1 weight gradient): |C - exact| &lt;= gamma_k sum_l |a_li b_lj|, the same bound as
    /// <see cref="Gemm_is_within_gamma_k_of_the_exact_product"/>. A rows have a stride &gt;= m.
    /// </summary>
    [Property(MaxTest = 40)]
    public unsafe Property Outer_product_sum_is_within_gamma_k_of_the_exact_product() =>
        Prop.ForAll((from m in Gen.Choose(1, 40) from n in Gen.Elements(32, 64, 96) from k in Gen.Choose(0, 700) from pad in Gen.Choose(0, 5)
                     from seed in Gen.Choose(0, int.MaxValue) select (m, n, k, lda: m + pad, seed)).ToArbitrary(), t =>
        {
            var (m, n, k, lda, seed) = t;
            var rng = new Random(seed);
            var a = ToFloat(Grid(rng, k * lda)); var b = ToFloat(Grid(rng, k * n)); var c = ToFloat(Grid(rng, m * n));
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c) Sgemm.OuterProductSum(m, n, k, pa, lda, pb, n, pc, n, false, new GemmWorkspace());
            double u = Bounds.UnitRoundoff<float>(), lambda = Bounds.SmallestSubnormal<float>();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double exact = 0, abs = 0;
                    for (int l = 0; l < k; l++) { double p = (double)a[l * lda + i] * b[l * n + j]; exact += p; abs += Math.Abs(p); }
                    double bound = Bounds.GemmEntry(k, abs, 0, u, lambda);
                    if (!(Math.Abs(c[i * n + j] - exact) <= bound))
                        return false.Label($"C[{i},{j}] = {c[i * n + j]:R}, exact {exact:R}, bound {bound:R}");
                }
            return true.Label("ok");
        });

    /// <summary>
    /// The micro-kernel is written once for every vector width: 12 x 32 tiles with Vector512, 6 x 16 with Vector256, 6 x 8 with
    /// Vector128, and each C element is the same FMA chain in k order in every one, so all widths give the same bits (0 ULP),
    /// whichever width this machine runs (a width it lacks runs in software: slower, same IEEE operations). Together with
    /// <see cref="Gemm_is_within_gamma_k_of_the_exact_product"/> at the machine's width this proves the bound at every width.
    /// Checked for Multiply (B packed per call, or read in place when C has few rows and n is a multiple of the panel),
    /// MultiplyPacked and, when n is a multiple of 32, OuterProductSum (A^T in place, as the conv1 weight gradient calls it).
    /// </summary>
    [Property(MaxTest = 25)]
    public unsafe Property Every_vector_width_gives_the_same_bits() =>
        Prop.ForAll((from m in Gen.Choose(1, 30) from n in Gen.OneOf(Gen.Choose(1, 70), Gen.Elements(16, 32, 64, 96)) from k in Gen.Choose(0, 300)
                     from ta in Gen.Elements(false, true) from tb in Gen.Elements(false, true) from acc in Gen.Elements(false, true)
                     from seed in Gen.Choose(0, int.MaxValue) select (m, n, k, ta, tb, acc, seed)).ToArbitrary(), t =>
        {
            var (m, n, k, ta, tb, acc, seed) = t;
            var rng = new Random(seed);
            var a = ToFloat(Grid(rng, m * k)); var b = ToFloat(Grid(rng, k * n)); var c0 = ToFloat(Grid(rng, m * n));
            int aRow = ta ? 1 : k, aCol = ta ? m : 1, bRow = tb ? 1 : n, bCol = tb ? k : 1;
            var results = new List<(string What, float[] C)>();
            fixed (float* pa = a) fixed (float* pb = b)
            {
                Run<V512<float>>("512", pa, pb); Run<V256<float>>("256", pa, pb); Run<V128<float>>("128", pa, pb);
            }
            foreach (var kind in new[] { "multiply", "packed", "outer" })
            {
                var same = results.Where(r => r.What.StartsWith(kind)).ToList();
                foreach (var r in same.Skip(1)) NumericAssert.BitExact<float>(same[0].C, r.C, label: $"{m}x{n}x{k}: {r.What} against {same[0].What}");
            }
            return true.Label("ok");

            void Run<TV>(string width, float* pa, float* pb) where TV : struct, IVec<TV, float>
            {
                var c1 = (float[])c0.Clone(); var c2 = (float[])c0.Clone(); var c3 = new float[m * n];
                var packed = new float[Gemm<TV>.PackedLength(k, n) + 16];
                fixed (float* p1 = c1) fixed (float* p2 = c2) fixed (float* p3 = c3) fixed (float* pp = packed)
                {
                    Gemm<TV>.Multiply(m, n, k, pa, aRow, aCol, pb, bRow, bCol, p1, n, acc, new GemmWorkspace());
                    float* aligned = (float*)(((nint)pp + 63) & ~(nint)63);
                    Gemm<TV>.Pack(k, n, pb, bRow, bCol, aligned);
                    Gemm<TV>.MultiplyPacked(m, n, k, pa, aRow, aCol, aligned, p2, n, acc, new GemmWorkspace());
                    if (n % 32 == 0) Gemm<TV>.OuterProductSum(m, n, k, pa, m, pb, n, p3, n, false, new GemmWorkspace());
                }
                results.Add(("multiply " + width, c1));
                results.Add(("packed " + width, c2));
                results.Add(("outer " + width, c3));
            }
        });
}
