using System.Numerics;
using System.Runtime.Intrinsics;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Testing;

/// <summary>KernelCheck passes correct kernels and catches wrong ones, naming the width, the index and a shrunk case.</summary>
public class KernelCheckTests
{
    const float A = 0.75f;

    /// <summary>y = y + a*x, vectorized at SimdWidth.Current; the same two roundings as the scalar line in every lane.</summary>
    static void Axpy(float[] x, float[] y, bool wrongTail = false, VectorWidth brokenAt = (VectorWidth)(-1))
    {
        int i = 0, n = x.Length;
        var width = SimdWidth.Current;
        if (width == VectorWidth.Bits512)
            for (; i <= n - 16; i += 16) (Vector512.Create(y.AsSpan(i)) + Vector512.Create(A) * Vector512.Create(x.AsSpan(i))).CopyTo(y.AsSpan(i));
        else if (width == VectorWidth.Bits256)
            for (; i <= n - 8; i += 8) (Vector256.Create(y.AsSpan(i)) + Vector256.Create(A) * Vector256.Create(x.AsSpan(i))).CopyTo(y.AsSpan(i));
        else if (width == VectorWidth.Bits128)
            for (; i <= n - 4; i += 4)
            {
                var v = Vector128.Create(y.AsSpan(i)) + Vector128.Create(A) * Vector128.Create(x.AsSpan(i));
                if (width == brokenAt) v = Vector128.FusedMultiplyAdd(Vector128.Create(A), Vector128.Create(x.AsSpan(i)), Vector128.Create(y.AsSpan(i)));
                v.CopyTo(y.AsSpan(i));
            }
        for (; i < n; i++) y[i] = wrongTail && i == n - 1 && n > 16 ? y[i] - A * x[i] : y[i] + A * x[i];
    }

    static void ScalarAxpy(Span<float> e) => e[1] = e[1] + A * e[0];

    [Fact]
    public void A_correct_kernel_passes_at_every_width_on_every_class() =>
        KernelCheck.Elementwise<float>(2, ScalarAxpy, b => Axpy(b[0], b[1]));

    /// <summary>
    /// The NaN rule: by default a NaN must appear where the reference has one, with any payload (two NaN operands meeting
    /// give an unspecified one); <see cref="NanPolicy.PayloadExact"/> is opt-in and then catches a kernel that replaces
    /// a NaN by the canonical one. A kernel that turns a NaN into a number is caught either way.
    /// </summary>
    [Fact]
    public void NaN_payloads_are_compared_only_when_asked()
    {
        Assert.Equal(NanPolicy.AnyNanEqual, new KernelCheckOptions<float>().Nan);
        static void Canonical(float[][] b) { for (int i = 0; i < b[0].Length; i++) if (float.IsNaN(b[0][i])) b[0][i] = float.NaN; }
        var nans = new KernelCheckOptions<float> { Values = FloatGen.OfClass<float>(FloatClass.QuietNaN), Lengths = FsCheck.Fluent.Gen.Choose(1, 40) };
        KernelCheck.Elementwise<float>(1, _ => { }, Canonical, nans);
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Elementwise<float>(1, _ => { }, Canonical, nans with { Nan = NanPolicy.PayloadExact }));
        Assert.Contains("NaN payloads must match", e.Message);
        Assert.Throws<NumericAssertException>(() => KernelCheck.Elementwise<float>(1, _ => { }, b => Array.Fill(b[0], 0f), nans));
    }

    [Fact]
    public void A_kernel_wrong_at_one_width_is_caught_there()
    {
        // FMA instead of multiply-then-add, only in the 128-bit body: one rounding instead of two.
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Elementwise<float>(2, ScalarAxpy,
            b => Axpy(b[0], b[1], brokenAt: VectorWidth.Bits128),
            new KernelCheckOptions<float> { Values = FloatGen.InBinades<float>(-4, 4) }));
        Assert.Contains("at width Bits128", e.Message);
        Assert.Contains("buffer 1", e.Message);
        Assert.Contains("shrunk by FsCheck", e.Message);
    }

    [Fact]
    public void A_wrong_tail_is_caught_and_shrunk_to_the_shortest_failing_length()
    {
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Elementwise<float>(2, ScalarAxpy,
            b => Axpy(b[0], b[1], wrongTail: true), new KernelCheckOptions<float> { Values = FloatGen.InBinades<float>(-4, 4) }));
        // Wrong only on the last element of arrays longer than 16 that ends in the scalar tail: the shortest such case has 17.
        Assert.Contains("on 17 elements", e.Message);
        Assert.Contains("first at index 16", e.Message);
    }

    [Fact]
    public void A_kernel_that_writes_to_an_input_is_caught()
    {
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Elementwise<float>(2, ScalarAxpy,
            b => { Axpy(b[0], b[1]); if (b[0].Length > 3) b[0][3] = 0; }, new KernelCheckOptions<float> { Values = FloatGen.InBinades<float>(-4, 4) }));
        Assert.Contains("buffer 0", e.Message);
    }

    [Fact]
    public void Reductions_are_checked_against_the_derived_bound()
    {
        static float ScalarDot(float[][] b) { float s = 0; for (int i = 0; i < b[0].Length; i++) s += b[0][i] * b[1][i]; return s; }
        static float BlockedDot(float[][] b)
        {
            var (x, y) = (b[0], b[1]);
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i <= x.Length - 4; i += 4) { s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1]; s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3]; }
            for (; i < x.Length; i++) s0 += x[i] * y[i];
            return (s0 + s1) + (s2 + s3);
        }
        KernelCheck.Reduction<float>(2, ScalarDot, BlockedDot, b => 2 * Bounds.Dot<float>(b[0], b[1]));
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Reduction<float>(2, ScalarDot,
            b => ScalarDot([b[0][..Math.Max(0, b[0].Length - 1)], b[1][..Math.Max(0, b[1].Length - 1)]]),   // drops the last term
            b => 2 * Bounds.Dot<float>(b[0], b[1])));
        Assert.Contains("WithinBound failed for the reduced value", e.Message);
    }

    [Fact]
    public void Stateful_kernels_are_compared_after_every_step()
    {
        // Momentum SGD: v = m*v + g; p = p - lr*v, state [p, v], input [g].
        const float M = 0.9f, Lr = 0.01f;
        static void Scalar(Span<float> s, ReadOnlySpan<float> g, int t) { s[1] = M * s[1] + g[0]; s[0] = s[0] - Lr * s[1]; }
        KernelCheck.Stateful<float>(2, 1, Scalar, (s, g, t) => { for (int i = 0; i < s[0].Length; i++) { s[1][i] = M * s[1][i] + g[0][i]; s[0][i] = s[0][i] - Lr * s[1][i]; } },
            new KernelCheckOptions<float>());
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Stateful<float>(2, 1, Scalar,
            (s, g, t) => { for (int i = 0; i < s[0].Length; i++) { s[1][i] = M * s[1][i] + g[0][i]; s[0][i] = s[0][i] - Lr * (t >= 3 ? 2 : 1) * s[1][i]; } },
            new KernelCheckOptions<float> { Values = FloatGen.InBinades<float>(-4, 4) }));
        // Wrong from step 3 on: the generated case fails there (shrinking may zero the earlier gradients and move it later).
        Assert.True(e.Message.Contains("before shrinking: KernelCheck.Stateful:") && e.Message.Contains(", step 3.)"), e.Message);
    }

    [Fact]
    public void Optimizer_checks_compare_parameters_and_every_slot()
    {
        var options = new AdamOptions { Amsgrad = true };
        KernelCheck.Optimizer<float>(new Adam(options), new FastAdam(options), new KernelCheckOptions<float> { MaxTest = 30 });
        var e = Assert.Throws<NumericAssertException>(() => KernelCheck.Optimizer<float>(new Adam(options),
            (OptimizerState<float> s, Span<float> p, ReadOnlySpan<float> g, double lr) => new Adam(options with { Beta2 = 0.99 }).Update(s, p, g, lr),
            new KernelCheckOptions<float> { Values = FloatGen.InBinades<float>(-4, 4) }));
        Assert.Contains("amsgrad", e.Message);
        Assert.True(e.Message.Contains(", step 1.)"), e.Message);   // the unshrunk case differs at the first step
    }
}
