using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Adam / AMSGrad / AdamW in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Adam.</summary>
public sealed class FastAdam : OptimizerBase
{
    readonly AdamOptions _o;

    /// <summary>Adam, or AMSGrad with <see cref="AdamOptions.Amsgrad"/>; state name "adam" or "amsgrad".</summary>
    /// <param name="options">The hyperparameters.</param>
    public FastAdam(AdamOptions options) : base(options) => _o = options;
    /// <summary>AdamW: the Adam kernel with decoupled weight decay, state name "adamw".</summary>
    /// <param name="options">The hyperparameters.</param>
    public FastAdam(AdamWOptions options) : base(options) => _o = options.ToAdam();

    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        long t = state.Step;
        double bc1 = 1.0 - Math.Pow(_o.Beta1, t), bc2 = 1.0 - Math.Pow(_o.Beta2, t);
        bool hat = _o.EpsilonMode == AdamEpsilon.KerasEpsilonHat;
        Span<T> m = state.SlotAt(0).Span, v = state.SlotAt(1).Span, vmax = _o.Amsgrad ? state.SlotAt(2).Span : default;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = m) fixed (T* pv = v) fixed (T* px = vmax)
        {
            var k = new AdamKernel<T>
            {
                P = pp, G = pg, M = pm, V = pv, Vmax = px, Decay = new(_o.WeightDecay, _o.WeightDecayMode, lr),
                Step = T.CreateTruncating(hat ? lr * Math.Sqrt(bc2) / bc1 : lr / bc1),
                SqrtBc2 = T.CreateTruncating(Math.Sqrt(bc2)),
                B1 = T.CreateTruncating(_o.Beta1), OneMinusB1 = T.CreateTruncating(1.0 - _o.Beta1),
                B2 = T.CreateTruncating(_o.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - _o.Beta2),
                Eps = T.CreateTruncating(_o.Epsilon), Amsgrad = _o.Amsgrad, Hat = hat,
            };
            KernelDriver.Run<T, AdamKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdamKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, V, Vmax;
    public WeightDecayTerm<T> Decay;
    public T Step, SqrtBc2, B1, OneMinusB1, B2, OneMinusB2, Eps;
    public bool Amsgrad, Hat;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        Decay.Apply(ref p, ref g);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        TV v = TV.Create(B2) * TV.Load(V + i) + TV.Create(OneMinusB2) * (g * g);
        m.Store(M + i);
        v.Store(V + i);
        TV w = v;
        if (Amsgrad)
        {
            w = TV.Max(TV.Load(Vmax + i), v);
            w.Store(Vmax + i);
        }
        TV denom = Hat ? TV.Sqrt(w) + TV.Create(Eps) : TV.Sqrt(w) / TV.Create(SqrtBc2) + TV.Create(Eps);
        p = p - TV.Create(Step) * (m / denom);
        p.Store(P + i);
    }
}
