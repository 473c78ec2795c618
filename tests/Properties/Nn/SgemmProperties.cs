using NetNumerics.Fast.Kernels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast;
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
    /// <see cref="Gemm_is_within_gamma_k_of_the_exact_product"/>. A rows have a stride &gt;= m and 16 readable floats after the end.
    /// </summary>
    [Property(MaxTest = 40)]
    public unsafe Property Outer_product_sum_is_within_gamma_k_of_the_exact_product() =>
        Prop.ForAll((from m in Gen.Choose(1, 40) from n in Gen.Elements(32, 64, 96) from k in Gen.Choose(0, 700) from pad in Gen.Choose(0, 5)
                     from seed in Gen.Choose(0, int.MaxValue) select (m, n, k, lda: m + pad, seed)).ToArbitrary(), t =>
        {
            var (m, n, k, lda, seed) = t;
            var rng = new Random(seed);
            var a = ToFloat(Grid(rng, k * lda + 16)); var b = ToFloat(Grid(rng, k * n)); var c = ToFloat(Grid(rng, m * n));
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c) Sgemm.OuterProductSum(m, n, k, pa, lda, pb, n, pc, n);
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
}
