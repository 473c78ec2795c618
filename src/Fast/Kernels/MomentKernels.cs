using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Kernels;

/// <summary>
/// The part of an Adam-family step a method adds after the moments (NAdam's Nesterov term, RAdam's rectified or plain
/// step): the new parameters from p, the gradient as the moments saw it (maximized, L2-decayed) and the new m and v.
/// </summary>
internal interface IMomentTail<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    TV Apply<TV>(TV p, TV g, TV m, TV v) where TV : struct, IVec<TV, T>;
}

/// <summary>
/// Keras order, as NetNumerics.Reference.Optimizers.Nadam and Radam write it: <c>g = -g</c> when maximizing, the weight-decay
/// term, <c>m = b1 m + (1-b1) g</c>, <c>v = b2 v + (1-b2) g^2</c>, stored; then the method's <see cref="IMomentTail{T}"/>.
/// </summary>
internal unsafe struct MomentKernel<T, TTail> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T> where TTail : struct, IMomentTail<T>
{
    public T* P, G, M, V;
    public WeightDecayTerm<T> Decay;
    public bool Maximize;
    public T B1, OneMinusB1, B2, OneMinusB2;
    public TTail Tail;

    // Not readonly: a readonly Apply would copy Tail (a generic struct) before each call to it, ~8 % of an update in cache.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        if (Maximize) g = -g;
        Decay.Apply(ref p, ref g);
        TV m = TV.Create(B1) * TV.Load(M + i) + TV.Create(OneMinusB1) * g;
        TV v = TV.Create(B2) * TV.Load(V + i) + TV.Create(OneMinusB2) * (g * g);
        m.Store(M + i);
        v.Store(V + i);
        Tail.Apply(p, g, m, v).Store(P + i);
    }
}

/// <summary>torch's per-step scalars the moment prologue needs (the Reference's NadamTorchStep / RadamTorchStep carry them).</summary>
internal readonly record struct TorchMomentScalars<T>(T WeightDecay, T B1, T OneMinusB1, T B2, T OneMinusB2) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// torch's order (torch/optim/nadam.py and radam.py, single-tensor and foreach alike): <c>g = -g</c> when maximizing,
/// <c>g = g.add(p, alpha=wd)</c> when L2, <c>m.mul_(b1).add_(g, alpha=1-b1)</c>, <c>v.mul_(b2).addcmul_(g, g, value=1-b2)</c>
/// (<see cref="TorchOps{T}"/>, fused or not), stored; then the method's <see cref="IMomentTail{T}"/>.
/// </summary>
internal unsafe struct TorchMomentKernel<T, TTail> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T> where TTail : struct, IMomentTail<T>
{
    public T* P, G, M, V;
    public TorchMomentScalars<T> S;
    public bool Fused, Maximize, L2;
    public TTail Tail;

    // Not readonly: a readonly Apply would copy Tail (a generic struct) before each call to it, ~8 % of an update in cache.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        if (Maximize) g = -g;
        if (L2) g = TorchOps<T>.Add(g, p, S.WeightDecay, Fused);
        TV m = TorchOps<T>.Add(TV.Load(M + i) * TV.Create(S.B1), g, S.OneMinusB1, Fused);
        TV v = TorchOps<T>.AddCmul(TV.Load(V + i) * TV.Create(S.B2), g, g, S.OneMinusB2, Fused);
        m.Store(M + i);
        v.Store(V + i);
        Tail.Apply(p, g, m, v).Store(P + i);
    }
}

/// <summary>Runs the moment kernels over a parameter tensor and its two slots (m at 0, v at 1).</summary>
internal static class MomentKernels
{
    /// <summary>Keras order: <paramref name="kernel"/> carries the scalars; P, G, M and V are set here.</summary>
    public static unsafe void Run<T, TTail>(MomentKernel<T, TTail> kernel, OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g)
        where T : unmanaged, IFloatingPointIeee754<T> where TTail : struct, IMomentTail<T>
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pv = state.SlotAt(1).Span)
        {
            kernel.P = pp; kernel.G = pg; kernel.M = pm; kernel.V = pv;
            KernelDriver.Run<T, MomentKernel<T, TTail>>(ref kernel, p.Length);
        }
    }

    /// <summary>torch's order: <paramref name="kernel"/> carries the scalars and flags; P, G, M and V are set here.</summary>
    public static unsafe void Run<T, TTail>(TorchMomentKernel<T, TTail> kernel, OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g)
        where T : unmanaged, IFloatingPointIeee754<T> where TTail : struct, IMomentTail<T>
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pm = state.SlotAt(0).Span) fixed (T* pv = state.SlotAt(1).Span)
        {
            kernel.P = pp; kernel.G = pg; kernel.M = pm; kernel.V = pv;
            KernelDriver.Run<T, TorchMomentKernel<T, TTail>>(ref kernel, p.Length);
        }
    }
}
