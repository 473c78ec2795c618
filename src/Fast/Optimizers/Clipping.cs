using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>
/// Gradient clipping, vectorized. Clip-by-value and the scaling are bit-identical to
/// NetNumerics.Reference.Optimizers.ReferenceClipping; the global norm sums the same double squares
/// in <see cref="SquareSum"/>'s order (8 partial sums, the same at every vector width, so the same bits on AVX-512, AVX2
/// and scalar machines) instead of left to right, so it agrees with the Reference within
/// <c>|N_fast - N_ref| &lt;= (2*gamma_(n-1) + 3u) * N_ref / (1 - 2*gamma_(n-1))</c>, u = 2^-53 (see the clipping properties).
/// </summary>
public sealed class FastClipping : IGradientClipper
{
    /// <summary>The one instance (the clipper holds no state).</summary>
    public static readonly FastClipping Instance = new();

    /// <inheritdoc />
    public unsafe void ClipByValue<T>(Span<T> gradients, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.PositiveFinite(clipValue, nameof(clipValue));
        fixed (T* pg = gradients)
        {
            var k = new ClampKernel<T> { G = pg, Hi = T.CreateTruncating(clipValue) };
            KernelDriver.Run<T, ClampKernel<T>>(ref k, gradients.Length);
        }
    }

    /// <inheritdoc />
    public double GlobalNorm<T>(IReadOnlyList<ReadOnlyMemory<T>> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double sum = 0;
        for (int t = 0; t < gradients.Count; t++) sum += SumOfSquares(gradients[t].Span);
        return Math.Sqrt(sum);
    }

    /// <summary>The squares of one tensor summed in double: float and double in <see cref="SquareSum"/>'s fixed order.</summary>
    static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) return SquareSum.Of(x);
        double sum = 0;
        foreach (T xi in x) { double d = double.CreateTruncating(xi); sum += d * d; }
        return sum;
    }

    /// <inheritdoc />
    public unsafe double ClipByGlobalNorm<T>(IReadOnlyList<Memory<T>> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        Guard.PositiveFinite(maxNorm, nameof(maxNorm));
        double sum = 0;
        for (int t = 0; t < gradients.Count; t++) sum += SumOfSquares((ReadOnlySpan<T>)gradients[t].Span);
        double norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm) || norm <= maxNorm) return norm;
        T scale = T.CreateTruncating(maxNorm / norm);
        for (int t = 0; t < gradients.Count; t++)
            fixed (T* pg = gradients[t].Span)
            {
                var k = new ScaleKernel<T> { G = pg, S = scale };
                KernelDriver.Run<T, ScaleKernel<T>>(ref k, gradients[t].Length);
            }
        return norm;
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
