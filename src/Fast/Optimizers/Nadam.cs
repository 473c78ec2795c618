using NetNumerics.Reference.Optimizers;
using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Nadam in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Nadam (per-step scalars from <see cref="NadamMomentum"/>).</summary>
public sealed class FastNadam(NadamOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        long t = state.Step;
        double d = options.MomentumDecay, b1 = options.Beta1;
        double muT = NadamMomentum.Mu(b1, d, t), muNext = NadamMomentum.Mu(b1, d, t + 1), prodT = NadamMomentum.Product(b1, d, t);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pv = state.SlotAt(1).Span)
        {
            var k = new NadamKernel<T>
            {
                P = pp, G = pg, M = pm, V = pv, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Cm = T.CreateTruncating(muNext / (1.0 - prodT * muNext)), Cg = T.CreateTruncating((1.0 - muT) / (1.0 - prodT)),
                Bc2 = T.CreateTruncating(1.0 - Math.Pow(options.Beta2, t)), Lr = T.CreateTruncating(lr),
                B1 = T.CreateTruncating(b1), OneMinusB1 = T.CreateTruncating(1.0 - b1),
                B2 = T.CreateTruncating(options.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - options.Beta2),
                Eps = T.CreateTruncating(options.Epsilon),
            };
            KernelDriver.Run<T, NadamKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct NadamKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, V;
    public WeightDecayTerm<T> Decay;
    public T Cm, Cg, Bc2, Lr, B1, OneMinusB1, B2, OneMinusB2, Eps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        Decay.Apply(ref p, ref g);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        TV v = TV.Create(B2) * TV.Load(V + i) + TV.Create(OneMinusB2) * (g * g);
        m.Store(M + i);
        v.Store(V + i);
        TV mhat = TV.Create(Cm) * m + TV.Create(Cg) * g;
        p = p - TV.Create(Lr) * (mhat / (TV.Sqrt(v / TV.Create(Bc2)) + TV.Create(Eps)));
        p.Store(P + i);
    }
}
