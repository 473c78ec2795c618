using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Weight averaging on the Fast path: the Fast base optimizer, then one vector pass over the average in the order of NetNumerics.Reference.Optimizers.Averaging (same bits).</summary>
public sealed class FastAveraging(AveragingOptions options) : AveragingOptimizer(options, FastOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override unsafe void Ema<T>(Span<T> a, ReadOnlySpan<T> p, double momentum)
    {
        fixed (T* pa = a) fixed (T* pp = p)
        {
            var k = new AveragingKernel<T> { A = pa, P = pp, Ema = true, M = C<T>(momentum), OneMinusM = C<T>(1.0 - momentum) };
            KernelDriver.Run<T, AveragingKernel<T>>(ref k, a.Length);
        }
    }

    /// <inheritdoc/>
    protected override unsafe void Mean<T>(Span<T> a, ReadOnlySpan<T> p, long count)
    {
        fixed (T* pa = a) fixed (T* pp = p)
        {
            var k = new AveragingKernel<T> { A = pa, P = pp, Ema = false, N = C<T>(count) };
            KernelDriver.Run<T, AveragingKernel<T>>(ref k, a.Length);
        }
    }
}

unsafe struct AveragingKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* A, P;
    public T M, OneMinusM, N;
    public bool Ema;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV a = TV.Load(A + i), p = TV.Load(P + i);
        a = Ema ? TV.Create(M) * a + TV.Create(OneMinusM) * p : a + (p - a) / TV.Create(N);
        a.Store(A + i);
    }
}
