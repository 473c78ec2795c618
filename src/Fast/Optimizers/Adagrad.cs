using NetNumerics.Reference.Optimizers;
using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>Adagrad in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Adagrad.</summary>
public sealed class FastAdagrad(AdagradOptions options) : OptimizerBase(options)
{
    /// <summary>Fills "accumulator" with <see cref="AdagradOptions.InitialAccumulatorValue"/>, as the Reference does.</summary>
    /// <param name="state">The fresh state.</param>
    protected override void InitializeSlots<T>(OptimizerState<T> state) =>
        state.SlotAt(0).Span.Fill(T.CreateTruncating(options.InitialAccumulatorValue));

    /// <inheritdoc />
    protected override unsafe void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        double clr = lr / (1.0 + (state.Step - 1) * options.LrDecay);
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* pa = state.SlotAt(0).Span)
        {
            var k = new AdagradKernel<T>
            {
                P = pp, G = pg, Acc = pa, Decay = new(options.WeightDecay, options.WeightDecayMode, clr),
                Clr = T.CreateTruncating(clr), Eps = T.CreateTruncating(options.Epsilon),
                Inside = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt, Maximize = options.Maximize,
            };
            KernelDriver.Run<T, AdagradKernel<T>>(ref k, p.Length);
        }
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Adagrad.ApplyPyTorch), same scalars (<see cref="AdagradTorchStep{T}"/>).</summary>
    unsafe void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pp = p) fixed (T* pg = g) fixed (T* ps = state.SlotAt(0).Span)
        {
            var k = new AdagradTorchKernel<T>
            {
                P = pp, G = pg, Sum = ps, S = new(options, state.Step, lr), Fused = options.Order == OperationOrder.PyTorchFused,
                Maximize = options.Maximize, L2 = options.WeightDecay != 0, Foreach = options.TorchPath == TorchPath.Foreach,
            };
            KernelDriver.Run<T, AdagradTorchKernel<T>>(ref k, p.Length);
        }
    }
}

unsafe struct AdagradKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, Acc;
    public WeightDecayTerm<T> Decay;
    public bool Maximize;
    public T Clr, Eps;
    public bool Inside;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        if (Maximize) g = -g;
        Decay.Apply(ref p, ref g);
        TV acc = TV.Load(Acc + i) + g * g;
        acc.Store(Acc + i);
        TV denom = Inside ? TV.Sqrt(acc + TV.Create(Eps)) : TV.Sqrt(acc) + TV.Create(Eps);
        p = p - TV.Create(Clr) * (g / denom);
        p.Store(P + i);
    }
}

unsafe struct AdagradTorchKernel<T> : IKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* P, G, Sum;
    public AdagradTorchStep<T> S;
    public bool Fused, Maximize, L2, Foreach;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, T>
    {
        TV p = TV.Load(P + i), g = TV.Load(G + i);
        if (Maximize) g = -g;
        if (L2) g = TorchOps<T>.Add(g, p, S.WeightDecay, Fused);
        TV sum = TorchOps<T>.AddCmul(TV.Load(Sum + i), g, g, T.One, Fused);
        sum.Store(Sum + i);
        TV std = TV.Sqrt(sum) + TV.Create(S.Eps);
        p = Foreach ? p + (g * TV.Create(S.MinusClr)) / std : TorchOps<T>.AddCdiv(p, g, std, S.MinusClr);
        p.Store(P + i);
    }
}
