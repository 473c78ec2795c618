using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// Gradient clipping, vectorized. Clip-by-value and the scaling are bit-identical to
/// NetNumerics.Reference.Optimizers.ReferenceClipping; the global norm sums the same double squares
/// in 16 lanes instead of left to right, so it agrees with the Reference within
/// <c>|N_fast - N_ref| &lt;= (2*gamma_(n-1) + 3u) * N_ref / (1 - 2*gamma_(n-1))</c>, u = 2^-53 (see the clipping properties).
/// </summary>
public sealed class FastClipping : IGradientClipper
{
    public static readonly FastClipping Instance = new();

    public unsafe void ClipByValue<T>(Span<T> gradients, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.PositiveFinite(clipValue, nameof(clipValue));
        fixed (T* pg = gradients)
        {
            var k = new ClampKernel<T> { G = pg, Hi = T.CreateTruncating(clipValue) };
            KernelDriver.Run<T, ClampKernel<T>>(ref k, gradients.Length);
        }
    }

    public double GlobalNorm<T>(IReadOnlyList<ReadOnlyMemory<T>> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double sum = 0;
        foreach (var tensor in gradients)
        {
            if (typeof(T) == typeof(float)) sum += SumOfSquares(MemoryMarshal.Cast<T, float>(tensor.Span));
            else if (typeof(T) == typeof(double)) sum += SumOfSquares(MemoryMarshal.Cast<T, double>(tensor.Span));
            else foreach (T x in tensor.Span) { double d = double.CreateTruncating(x); sum += d * d; }
        }
        return Math.Sqrt(sum);
    }

    public unsafe double ClipByGlobalNorm<T>(IReadOnlyList<Memory<T>> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Guard.PositiveFinite(maxNorm, nameof(maxNorm));
        var views = new ReadOnlyMemory<T>[gradients.Count];
        for (int i = 0; i < views.Length; i++) views[i] = gradients[i];
        double norm = GlobalNorm<T>(views);
        if (!double.IsFinite(norm) || norm <= maxNorm) return norm;
        T scale = T.CreateTruncating(maxNorm / norm);
        foreach (var tensor in gradients)
            fixed (T* pg = tensor.Span)
            {
                var k = new ScaleKernel<T> { G = pg, S = scale };
                KernelDriver.Run<T, ScaleKernel<T>>(ref k, tensor.Length);
            }
        return norm;
    }

    /// <summary>Sum of (double)x^2 (exact squares for float), four Vector512&lt;double&gt; accumulators.</summary>
    static double SumOfSquares(ReadOnlySpan<float> x)
    {
        int i = 0;
        var a0 = Vector512<double>.Zero; var a1 = a0;
        if (SimdWidth.Current == VectorWidth.Bits512)
            for (; i <= x.Length - 16; i += 16)
            {
                var f = Vector512.Create(x.Slice(i, 16));
                var (lo, hi) = Vector512.Widen(f);
                a0 += lo * lo;
                a1 += hi * hi;
            }
        double sum = Vector512.Sum(a0 + a1);
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    static double SumOfSquares(ReadOnlySpan<double> x)
    {
        int i = 0;
        var a0 = Vector512<double>.Zero; var a1 = a0;
        if (SimdWidth.Current == VectorWidth.Bits512)
            for (; i <= x.Length - 16; i += 16)
            {
                var lo = Vector512.Create(x.Slice(i, 8));
                var hi = Vector512.Create(x.Slice(i + 8, 8));
                a0 += lo * lo;
                a1 += hi * hi;
            }
        double sum = Vector512.Sum(a0 + a1);
        for (; i < x.Length; i++) sum += x[i] * x[i];
        return sum;
    }
}

unsafe struct ClampKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* G;
    public T Hi;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T> =>
        TV.Min(TV.Max(TV.Load(G + i), TV.Create(-Hi)), TV.Create(Hi)).Store(G + i);
}

unsafe struct ScaleKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* G;
    public T S;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T> =>
        (TV.Load(G + i) * TV.Create(S)).Store(G + i);
}
