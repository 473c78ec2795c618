using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>RMSprop in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Rmsprop.</summary>
public sealed class FastRmsprop(RmspropOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        Span<T> mg = options.Centered ? state.Slot("mg").Span : default;
        Span<T> buf = options.Momentum != 0 ? state.Slot("momentum").Span : default;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pv = state.Slot("v").Span) fixed (T* pmg = mg) fixed (T* pb = buf)
        {
            var k = new RmspropKernel<T>
            {
                P = pp, G = pg, V = pv, Mg = pmg, B = pb, Decay = new(options.WeightDecay, options.WeightDecayMode, lr),
                Lr = T.CreateTruncating(lr), Rho = T.CreateTruncating(options.Rho), OneMinusRho = T.CreateTruncating(1.0 - options.Rho),
                Eps = T.CreateTruncating(options.Epsilon), Mom = T.CreateTruncating(options.Momentum),
                Centered = options.Centered, Inside = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt,
                Mode = options.Momentum == 0 ? 0 : options.MomentumForm == MomentumForm.Keras ? 1 : 2,
            };
            KernelDriver.Run<T, RmspropKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct RmspropKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, V, Mg, B;
    public WeightDecayTerm<T> Decay;
    public T Lr, Rho, OneMinusRho, Eps, Mom;
    public bool Centered, Inside;
    public int Mode;   // 0 no momentum, 1 Keras, 2 PyTorch

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), rho = TV.Create(Rho), omr = TV.Create(OneMinusRho), lr = TV.Create(Lr);
        Decay.Apply(ref p, ref g);
        TV v = rho * TV.Load(V + i) + omr * (g * g);
        v.Store(V + i);
        TV s = v;
        if (Centered)
        {
            TV mg = rho * TV.Load(Mg + i) + omr * g;
            mg.Store(Mg + i);
            s = v - mg * mg;
        }
        TV denom = Inside ? TV.Sqrt(s + TV.Create(Eps)) : TV.Sqrt(s) + TV.Create(Eps);
        TV q = g / denom;
        if (Mode == 0)
        {
            p = p - lr * q;
        }
        else if (Mode == 1)
        {
            TV b = TV.Create(Mom) * TV.Load(B + i) + lr * q;
            b.Store(B + i);
            p = p - b;
        }
        else
        {
            TV b = TV.Create(Mom) * TV.Load(B + i) + q;
            b.Store(B + i);
            p = p - lr * b;
        }
        p.Store(P + i);
    }
}
