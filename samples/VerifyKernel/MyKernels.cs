using System.Runtime.Intrinsics;
using NetNumerics;

namespace VerifyKernel;

/// <summary>Kernels a user writes: vectorized at the width SimdWidth.Current allows (256 and 128 bits), scalar tail.</summary>
public static class MyKernels
{
    /// <summary>The scalar dot product: left to right.</summary>
    public static float ScalarDot(float[] x, float[] y)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>A vectorized dot product: 8 or 4 partial sums, then the tail. Another summation order, so not the same bits.</summary>
    public static float VectorDot(float[] x, float[] y)
    {
        int i = 0;
        float s = 0;
        if (SimdWidth.Current >= VectorWidth.Bits256)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= x.Length - 8; i += 8) acc += Vector256.Create(x.AsSpan(i)) * Vector256.Create(y.AsSpan(i));
            s = Vector256.Sum(acc);
        }
        else if (SimdWidth.Current >= VectorWidth.Bits128)
        {
            var acc = Vector128<float>.Zero;
            for (; i <= x.Length - 4; i += 4) acc += Vector128.Create(x.AsSpan(i)) * Vector128.Create(y.AsSpan(i));
            s = Vector128.Sum(acc);
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>
    /// Fused momentum SGD in the Keras form, one pass: <c>v = m*v - lr*g; p = p + v</c>, the same two roundings per
    /// line as the scalar form in every lane, so the same bits as NetNumerics.Reference.Optimizers.Sgd.
    /// <paramref name="fmaAt128"/> makes it deliberately wrong: one fused multiply-add (one rounding) in the 128-bit body.
    /// </summary>
    public static void FusedSgd(Span<float> p, ReadOnlySpan<float> g, Span<float> v, float lr, float m, bool fmaAt128 = false)
    {
        int i = 0;
        if (SimdWidth.Current >= VectorWidth.Bits256)
            for (; i <= p.Length - 8; i += 8)
            {
                var vi = Vector256.Create(m) * Vector256.Create(v[i..]) - Vector256.Create(lr) * Vector256.Create(g[i..]);
                vi.CopyTo(v[i..]);
                (Vector256.Create(p[i..]) + vi).CopyTo(p[i..]);
            }
        if (SimdWidth.Current >= VectorWidth.Bits128)
            for (; i <= p.Length - 4; i += 4)
            {
                var vi = fmaAt128
                    ? Vector128.FusedMultiplyAdd(Vector128.Create(m), Vector128.Create(v[i..]), -(Vector128.Create(lr) * Vector128.Create(g[i..])))
                    : Vector128.Create(m) * Vector128.Create(v[i..]) - Vector128.Create(lr) * Vector128.Create(g[i..]);
                vi.CopyTo(v[i..]);
                (Vector128.Create(p[i..]) + vi).CopyTo(p[i..]);
            }
        for (; i < p.Length; i++)
        {
            v[i] = m * v[i] - lr * g[i];
            p[i] = p[i] + v[i];
        }
    }
}
