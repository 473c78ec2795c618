using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Lookahead on the Fast path: the Fast base optimizer, then every k updates one vector pass in the order of NetNumerics.Reference.Optimizers.Lookahead (same bits).</summary>
public sealed class FastLookahead(LookaheadOptions options) : LookaheadOptimizer(options, FastOptimizers.For(options.Base))
{
    /// <inheritdoc/>
    protected override unsafe void Synchronize<T>(Span<T> slow, Span<T> p, double alpha)
    {
        fixed (T* ps = slow) fixed (T* pp = p)
        {
            var k = new LookaheadKernel<T> { Slow = ps, P = pp, Alpha = C<T>(alpha) };
            KernelDriver.Run<T, LookaheadKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct LookaheadKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Slow, P;
    public T Alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV s = TV.Load(Slow + i), p = TV.Load(P + i);
        s = s + TV.Create(Alpha) * (p - s);
        s.Store(Slow + i);
        s.Store(P + i);
    }
}
