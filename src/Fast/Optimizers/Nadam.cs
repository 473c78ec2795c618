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
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        long t = state.Step;
        double d = options.MomentumDecay, b1 = options.Beta1;
        double muT = NadamMomentum.Mu(b1, d, t), muNext = NadamMomentum.Mu(b1, d, t + 1), prodT = NadamMomentum.Product(b1, d, t);
        MomentKernels.Run(new MomentKernel<T, NadamTail<T>>
        {
            Decay = new(options.WeightDecay, options.WeightDecayMode, lr), Maximize = options.Maximize,
            B1 = T.CreateTruncating(b1), OneMinusB1 = T.CreateTruncating(1.0 - b1),
            B2 = T.CreateTruncating(options.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - options.Beta2),
            Tail = new()
            {
                Cm = T.CreateTruncating(muNext / (1.0 - prodT * muNext)), Cg = T.CreateTruncating((1.0 - muT) / (1.0 - prodT)),
                Bc2 = T.CreateTruncating(1.0 - Math.Pow(options.Beta2, t)), Lr = T.CreateTruncating(lr), Eps = T.CreateTruncating(options.Epsilon),
            },
        }, state, p, g);
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Nadam.ApplyPyTorch), same scalars (<see cref="NadamTorchStep{T}"/>).</summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new NadamTorchStep<T>(options, state.Step, lr);
        MomentKernels.Run(new TorchMomentKernel<T, NadamTorchTail<T>>
        {
            S = new(s.WeightDecay, s.B1, s.OneMinusB1, s.B2, s.OneMinusB2), Fused = options.Order == OperationOrder.PyTorchFused,
            Maximize = options.Maximize, L2 = options.WeightDecay != 0,
            Tail = new() { S = s, Foreach = options.TorchPath == TorchPath.Foreach },
        }, state, p, g);
    }
}

/// <summary>Keras order: <c>mhat = cm m + cg g; p = p - lr mhat / (sqrt(v / bc2) + eps)</c>.</summary>
struct NadamTail<T> : IMomentTail<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Cm, Cg, Bc2, Lr, Eps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Apply<TV>(TV p, TV g, TV m, TV v) where TV : struct, IVec<TV, T>
    {
        TV mhat = TV.Create(Cm) * m + TV.Create(Cg) * g;
        return p - TV.Create(Lr) * (mhat / (TV.Sqrt(v / TV.Create(Bc2)) + TV.Create(Eps)));
    }
}

/// <summary>torch's order: denom (single-tensor <c>sqrt(v / bc2) + eps</c>, foreach <c>sqrt(v) / sqrt(bc2) + eps</c>), then two addcdiv.</summary>
struct NadamTorchTail<T> : IMomentTail<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public NadamTorchStep<T> S;
    public bool Foreach;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Apply<TV>(TV p, TV g, TV m, TV v) where TV : struct, IVec<TV, T>
    {
        TV denom = (Foreach ? TV.Sqrt(v) / TV.Create(S.Bc2Sqrt) : TV.Sqrt(v / TV.Create(S.Bc2))) + TV.Create(S.Eps);
        p = TorchOps<T>.AddCdiv(p, g, denom, S.GradCoefficient);
        return TorchOps<T>.AddCdiv(p, m, denom, S.MomentCoefficient);
    }
}
