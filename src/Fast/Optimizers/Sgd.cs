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
        Span<T> buf = options.Momentum == 0 ? default : state.SlotAt(0).Span;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pb = buf)
        {
            var k = new SgdKernel<T>
            {
                P = pp, G = pg, B = pb, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Lr = T.CreateTruncating(lr), M = T.CreateTruncating(options.Momentum),
                OneMinusDamp = T.CreateTruncating(1.0 - options.Dampening),
                Mode = options.Momentum == 0 ? 0 : options.MomentumForm == MomentumForm.Keras ? 1 : 2,
                Nesterov = options.Nesterov, First = state.Step == 1,
            };
            KernelDriver.Run<T, SgdKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct SgdKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, B;
    public WeightDecayTerm<T> Decay;
    public T Lr, M, OneMinusDamp;
    public int Mode;   // 0 plain, 1 Keras, 2 PyTorch
    public bool Nesterov, First;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), lr = TV.Create(Lr);
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
