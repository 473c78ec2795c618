using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>RAdam in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Radam.</summary>
public sealed class FastRadam(RadamOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        long t = state.Step;
        double bc1 = 1.0 - Math.Pow(options.Beta1, t), bc2 = 1.0 - Math.Pow(options.Beta2, t);
        double? r = NetNumerics.Reference.Optimizers.Radam.Rectifier(options.Beta2, t);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pv = state.SlotAt(1).Span)
        {
            var k = new RadamKernel<T>
            {
                P = pp, G = pg, M = pm, V = pv, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Step = T.CreateTruncating(r is double rv ? lr * rv * Math.Sqrt(bc2) / bc1 : lr / bc1), Rectified = r is not null,
                B1 = T.CreateTruncating(options.Beta1), OneMinusB1 = T.CreateTruncating(1.0 - options.Beta1),
                B2 = T.CreateTruncating(options.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - options.Beta2),
                Eps = T.CreateTruncating(options.Epsilon),
            };
            KernelDriver.Run<T, RadamKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct RadamKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, V;
    public WeightDecayTerm<T> Decay;
    public T Step, B1, OneMinusB1, B2, OneMinusB2, Eps;
    public bool Rectified;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        Decay.Apply(ref p, ref g);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        TV v = TV.Create(B2) * TV.Load(V + i) + TV.Create(OneMinusB2) * (g * g);
        m.Store(M + i);
        v.Store(V + i);
        p = Rectified ? p - TV.Create(Step) * (m / (TV.Sqrt(v) + TV.Create(Eps))) : p - TV.Create(Step) * m;
        p.Store(P + i);
    }
}
