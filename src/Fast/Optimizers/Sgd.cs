using NetNumerics.Reference.Optimizers;
using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>SGD in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Sgd.</summary>
public sealed class FastSgd(SgdOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        Span<T> buf = options.Momentum == 0 ? default : state.SlotAt(0).Span;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pb = buf)
        {
            var k = new SgdKernel<T>
            {
                P = pp, G = pg, B = pb, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Lr = T.CreateTruncating(lr), M = T.CreateTruncating(options.Momentum),
                OneMinusDamp = T.CreateTruncating(1.0 - options.Dampening),
                Mode = options.Momentum == 0 ? 0 : options.MomentumForm == MomentumForm.Keras ? 1 : 2,
                Nesterov = options.Nesterov, First = state.Step == 1, Maximize = options.Maximize,
            };
            KernelDriver.Run<T, SgdKernel<T>>(ref k, p.Length);
        }
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Sgd.ApplyPyTorch), same scalars (<see cref="SgdTorchStep{T}"/>).</summary>
    unsafe void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> buf = options.Momentum == 0 ? default : state.SlotAt(0).Span;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pb = buf)
        {
            var k = new SgdTorchKernel<T>
            {
                P = pp, G = pg, B = pb, S = new(options, lr), Fused = options.Order == OperationOrder.PyTorchFused,
                Maximize = options.Maximize, L2 = options.WeightDecay != 0, Momentum = options.Momentum != 0,
                Nesterov = options.Nesterov, First = state.Step == 1,
            };
            KernelDriver.Run<T, SgdTorchKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct SgdKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, B;
    public WeightDecayTerm<T> Decay;
    public bool Maximize;
    public T Lr, M, OneMinusDamp;
    public int Mode;   // 0 plain, 1 Keras, 2 PyTorch
    public bool Nesterov, First;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), lr = TV.Create(Lr);
        if (Maximize) g = -g;
        Decay.Apply(ref p, ref g);
        if (Mode == 0)
        {
            p = p - lr * g;
        }
        else if (Mode == 1)
        {
            TV m = TV.Create(M);
            TV v = m * TV.Load(B + i) - lr * g;
            v.Store(B + i);
            p = Nesterov ? p + (m * v - lr * g) : p + v;
        }
        else
        {
            TV m = TV.Create(M);
            TV b = First ? g : m * TV.Load(B + i) + TV.Create(OneMinusDamp) * g;
            b.Store(B + i);
            TV d = Nesterov ? g + m * b : b;
            p = p - lr * d;
        }
        p.Store(P + i);
    }
}

unsafe struct SgdTorchKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, B;
    public SgdTorchStep<T> S;
    public bool Fused, Maximize, L2, Momentum, Nesterov, First;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), d = TV.Load(G + i);
        if (Maximize) d = -d;
        if (L2) d = TorchOps<T>.Add(d, p, S.WeightDecay, Fused);
        if (Momentum)
        {
            TV b = First ? d : TorchOps<T>.Add(TV.Load(B + i) * TV.Create(S.Momentum), d, S.OneMinusDampening, Fused);
            b.Store(B + i);
            d = Nesterov ? TorchOps<T>.Add(d, b, S.Momentum, Fused) : b;
        }
        TorchOps<T>.Add(p, d, S.MinusLr, Fused).Store(P + i);
    }
}
