using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Adagrad in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Adagrad.</summary>
public sealed class FastAdagrad(AdagradOptions options) : OptimizerBase(options)
{
    /// <summary>Fills "accumulator" with <see cref="AdagradOptions.InitialAccumulatorValue"/>, as the Reference does.</summary>
    /// <param name="state">The fresh state.</param>
    protected override void InitializeSlots<T>(OptimizerState<T> state) =>
        state.SlotAt(0).Span.Fill(T.CreateTruncating(options.InitialAccumulatorValue));

    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        double clr = lr / (1.0 + (state.Step - 1) * options.LrDecay);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pa = state.SlotAt(0).Span)
        {
            var k = new AdagradKernel<T>
            {
                P = pp, G = pg, Acc = pa, Decay = new(options.WeightDecay, options.WeightDecayMode, clr),
                Clr = T.CreateTruncating(clr), Eps = T.CreateTruncating(options.Epsilon),
                Inside = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt,
            };
            KernelDriver.Run<T, AdagradKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdagradKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, Acc;
    public WeightDecayTerm<T> Decay;
    public T Clr, Eps;
    public bool Inside;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        Decay.Apply(ref p, ref g);
        TV acc = TV.Load(Acc + i) + g * g;
        acc.Store(Acc + i);
        TV denom = Inside ? TV.Sqrt(acc + TV.Create(Eps)) : TV.Sqrt(acc) + TV.Create(Eps);
        p = p - TV.Create(Clr) * (g / denom);
        p.Store(P + i);
    }
}
