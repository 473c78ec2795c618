using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>AdaMax in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Adamax.</summary>
public sealed class FastAdamax(AdamaxOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        double bc1 = 1.0 - Math.Pow(options.Beta1, state.Step);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pu = state.SlotAt(1).Span)
        {
            var k = new AdamaxKernel<T>
            {
                P = pp, G = pg, M = pm, U = pu, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Step = T.CreateTruncating(lr / bc1), B1 = T.CreateTruncating(options.Beta1),
                OneMinusB1 = T.CreateTruncating(1.0 - options.Beta1), B2 = T.CreateTruncating(options.Beta2),
                Eps = T.CreateTruncating(options.Epsilon), Keras = options.EpsilonMode == AdamaxEpsilon.KerasOutsideMax,
            };
            KernelDriver.Run<T, AdamaxKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdamaxKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, U;
    public WeightDecayTerm<T> Decay;
    public T Step, B1, OneMinusB1, B2, Eps;
    public bool Keras;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), eps = TV.Create(Eps);
        Decay.Apply(ref p, ref g);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        m.Store(M + i);
        if (Keras)
        {
            TV u = TV.Max(TV.Create(B2) * TV.Load(U + i), TV.Abs(g));
            u.Store(U + i);
            p = p - TV.Create(Step) * (m / (u + eps));
        }
        else
        {
            TV u = TV.Max(TV.Create(B2) * TV.Load(U + i), TV.Abs(g) + eps);
            u.Store(U + i);
            p = p - TV.Create(Step) * (m / u);
        }
        p.Store(P + i);
    }
}
