using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Lion in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Lion.</summary>
public sealed class FastLion(LionOptions options) : OptimizerBase(options)
{
    /// <inheritdoc/>
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span)
        {
            var k = new LionKernel<T>
            {
                P = pp, G = pg, M = pm,
                Lr = T.CreateTruncating(lr), Wd = T.CreateTruncating(options.WeightDecay), Decay = options.WeightDecay != 0,
                B1 = T.CreateTruncating(options.Beta1), OneMinusB1 = T.CreateTruncating(1.0 - options.Beta1),
                B2 = T.CreateTruncating(options.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - options.Beta2),
                Big = T.ScaleB(T.One, T.ILogB(T.BitDecrement(T.PositiveInfinity))),   // 2^127 (float), 2^1023 (double)
            };
            KernelDriver.Run<T, LionKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct LionKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M;
    public T Lr, Wd, B1, OneMinusB1, B2, OneMinusB2, Big;
    public bool Decay;

    /// <summary>
    /// The Reference's sign from IVec operations, bit for bit: Big is the largest power of two of T (2^127 for float,
    /// 2^1023 for double), so (c*Big)*Big has magnitude &gt;= 1 (or is infinite) for every nonzero c, the smallest
    /// subnormal included (2^-149 * 2^254 for float, 2^-1074 * 2^2046 for double), and clamping it to [-1, 1] gives ±1.
    /// Multiplying ±0 by Big keeps ±0 and the clamp keeps it; NaN stays NaN (IEEE max/min propagate NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    readonly TV Sign<TV>(TV c) where TV : struct, IVec<TV, T>
    {
        TV big = TV.Create(Big), one = TV.Create(T.One);
        return TV.Min(TV.Max(c * big * big, TV.Create(-T.One)), one);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), m = TV.Load(M + i);
        TV c = TV.Create(B1) * m + TV.Create(OneMinusB1) * g;
        TV u = Sign(c);
        if (Decay) u = u + TV.Create(Wd) * p;
        p = p - TV.Create(Lr) * u;
        m = TV.Create(B2) * m + TV.Create(OneMinusB2) * g;
        p.Store(P + i);
        m.Store(M + i);
    }
}
