using NetNumerics.Reference.Optimizers;
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
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        double bc1 = 1.0 - Math.Pow(options.Beta1, state.Step);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pu = state.SlotAt(1).Span)
        {
            var k = new AdamaxKernel<T>
            {
                P = pp, G = pg, M = pm, U = pu, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Step = T.CreateTruncating(lr / bc1), B1 = T.CreateTruncating(options.Beta1),
                OneMinusB1 = T.CreateTruncating(1.0 - options.Beta1), B2 = T.CreateTruncating(options.Beta2),
                Eps = T.CreateTruncating(options.Epsilon), Keras = options.EpsilonMode == AdamaxEpsilon.KerasOutsideMax, Maximize = options.Maximize,
            };
            KernelDriver.Run<T, AdamaxKernel<T>>(ref k, p.Length);
        }
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Adamax.ApplyPyTorch), same scalars (<see cref="AdamaxTorchStep{T}"/>).</summary>
    unsafe void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pu = state.SlotAt(1).Span)
        {
            var k = new AdamaxTorchKernel<T>
            {
                P = pp, G = pg, M = pm, U = pu, S = new(options, state.Step, lr), Fused = options.Order == OperationOrder.PyTorchFused,
                Maximize = options.Maximize, L2 = options.WeightDecay != 0,
            };
            KernelDriver.Run<T, AdamaxTorchKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdamaxKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, U;
    public WeightDecayTerm<T> Decay;
    public bool Maximize;
    public T Step, B1, OneMinusB1, B2, Eps;
    public bool Keras;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), eps = TV.Create(Eps);
        if (Maximize) g = -g;
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

unsafe struct AdamaxTorchKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, M, U;
    public AdamaxTorchStep<T> S;
    public bool Fused, Maximize, L2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        if (Maximize) g = -g;
        if (L2) g = TorchOps<T>.Add(g, p, S.WeightDecay, Fused);
        TV m = TorchOps<T>.Add(TV.Load(M + i) * TV.Create(S.B1), g, S.OneMinusB1, Fused);
        TV u = TV.Max(TV.Load(U + i) * TV.Create(S.B2), TV.Abs(g) + TV.Create(S.Eps));
        m.Store(M + i);
        u.Store(U + i);
        TorchOps<T>.AddCdiv(p, m, u, S.MinusClr).Store(P + i);
    }
}
