using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Adadelta in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Adadelta.</summary>
public sealed class FastAdadelta(AdadeltaOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pv = state.SlotAt(0).Span) fixed (T* pu = state.SlotAt(1).Span)
        {
            var k = new AdadeltaKernel<T>
            {
                P = pp, G = pg, V = pv, U = pu, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Lr = T.CreateTruncating(lr), Rho = T.CreateTruncating(options.Rho),
                OneMinusRho = T.CreateTruncating(1.0 - options.Rho), Eps = T.CreateTruncating(options.Epsilon),
            };
            KernelDriver.Run<T, AdadeltaKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdadeltaKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, V, U;
    public WeightDecayTerm<T> Decay;
    public T Lr, Rho, OneMinusRho, Eps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), rho = TV.Create(Rho), omr = TV.Create(OneMinusRho), eps = TV.Create(Eps);
        Decay.Apply(ref p, ref g);
        TV v = rho * TV.Load(V + i) + omr * (g * g);
        TV u = TV.Load(U + i);
        TV d = TV.Sqrt(u + eps) / TV.Sqrt(v + eps) * g;
        u = rho * u + omr * (d * d);
        v.Store(V + i);
        u.Store(U + i);
        p = p - TV.Create(Lr) * d;
        p.Store(P + i);
    }
}
