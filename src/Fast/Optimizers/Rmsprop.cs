using NetNumerics.Reference.Optimizers;
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
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
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
                Mode = options.Momentum == 0 ? 0 : options.MomentumForm == MomentumForm.Keras ? 1 : 2, Maximize = options.Maximize,
            };
            KernelDriver.Run<T, RmspropKernel<T>>(ref k, p.Length);
        }
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Rmsprop.ApplyPyTorch), same scalars (<see cref="RmspropTorchStep{T}"/>).</summary>
    unsafe void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> ga = options.Centered ? state.Slot("mg").Span : default;
        Span<T> buf = options.Momentum != 0 ? state.Slot("momentum").Span : default;
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pv = state.Slot("v").Span) fixed (T* pga = ga) fixed (T* pb = buf)
        {
            var k = new RmspropTorchKernel<T>
            {
                P = pp, G = pg, Sq = pv, Ga = pga, B = pb, S = new(options, lr), Fused = options.Order == OperationOrder.PyTorchFused,
                Maximize = options.Maximize, L2 = options.WeightDecay != 0, Centered = options.Centered, Momentum = options.Momentum != 0,
            };
            KernelDriver.Run<T, RmspropTorchKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct RmspropKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, V, Mg, B;
    public WeightDecayTerm<T> Decay;
    public bool Maximize;
    public T Lr, Rho, OneMinusRho, Eps, Mom;
    public bool Centered, Inside;
    public int Mode;   // 0 no momentum, 1 Keras, 2 PyTorch

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), rho = TV.Create(Rho), omr = TV.Create(OneMinusRho), lr = TV.Create(Lr);
        if (Maximize) g = -g;
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

unsafe struct RmspropTorchKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, Sq, Ga, B;
    public RmspropTorchStep<T> S;
    public bool Fused, Maximize, L2, Centered, Momentum;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i), alpha = TV.Create(S.Alpha);
        if (Maximize) g = -g;
        if (L2) g = TorchOps<T>.Add(g, p, S.WeightDecay, Fused);
        TV sq = TorchOps<T>.AddCmul(TV.Load(Sq + i) * alpha, g, g, S.OneMinusAlpha, Fused);
        sq.Store(Sq + i);
        TV avg;
        if (Centered)
        {
            TV ga = TorchOps<T>.Add(TV.Load(Ga + i) * alpha, g, S.OneMinusAlpha, Fused);
            ga.Store(Ga + i);
            avg = TV.Sqrt(TorchOps<T>.AddCmul(sq, ga, ga, -T.One, Fused));
        }
        else avg = TV.Sqrt(sq);
        avg = avg + TV.Create(S.Eps);
        if (Momentum)
        {
            TV b = TorchOps<T>.AddCdiv(TV.Load(B + i) * TV.Create(S.Momentum), g, avg, T.One);
            b.Store(B + i);
            p = TorchOps<T>.Add(p, b, S.MinusLr, Fused);
        }
        else p = TorchOps<T>.AddCdiv(p, g, avg, S.MinusLr);
        p.Store(P + i);
    }
}
