using NetNumerics.Reference.Optimizers;
using NetNumerics.Fast.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using NetNumerics.Optimizers;

namespace NetNumerics.Fast.Optimizers;

/// <summary>RAdam in one fused vector pass; same operations in the same order as NetNumerics.Reference.Optimizers.Radam.</summary>
public sealed class FastRadam(RadamOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        long t = state.Step;
        double bc1 = 1.0 - Math.Pow(options.Beta1, t), bc2 = 1.0 - Math.Pow(options.Beta2, t);
        double? r = NetNumerics.Reference.Optimizers.Radam.Rectifier(options.Beta2, t);
        MomentKernels.Run(new MomentKernel<T, RadamTail<T>>
        {
            Decay = new(options.WeightDecay, options.WeightDecayMode, lr), Maximize = options.Maximize,
            B1 = T.CreateTruncating(options.Beta1), OneMinusB1 = T.CreateTruncating(1.0 - options.Beta1),
            B2 = T.CreateTruncating(options.Beta2), OneMinusB2 = T.CreateTruncating(1.0 - options.Beta2),
            Tail = new()
            {
                Step = T.CreateTruncating(r is double rv ? lr * rv * Math.Sqrt(bc2) / bc1 : lr / bc1), Rectified = r is not null,
                Eps = T.CreateTruncating(options.Epsilon),
            },
        }, state, p, g);
    }

    /// <summary>torch's order (NetNumerics.Reference.Optimizers.Radam.ApplyPyTorch), same scalars (<see cref="RadamTorchStep{T}"/>).</summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new RadamTorchStep<T>(options, state.Step, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused;
        MomentKernels.Run(new TorchMomentKernel<T, RadamTorchTail<T>>
        {
            S = new(s.WeightDecay, s.B1, s.OneMinusB1, s.B2, s.OneMinusB2), Fused = fused,
            Maximize = options.Maximize, L2 = options.WeightDecay != 0,
            Tail = new() { S = s, Fused = fused, Foreach = options.TorchPath == TorchPath.Foreach },
        }, state, p, g);
    }
}

/// <summary>Keras order: rectified <c>p - step m / (sqrt(v) + eps)</c>, else <c>p - step m</c> (step holds lr, bc1 and the rectifier).</summary>
struct RadamTail<T> : IMomentTail<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Step, Eps;
    public bool Rectified;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Apply<TV>(TV p, TV g, TV m, TV v) where TV : struct, IVec<TV, T> =>
        Rectified ? p - TV.Create(Step) * (m / (TV.Sqrt(v) + TV.Create(Eps))) : p - TV.Create(Step) * m;
}

/// <summary>torch's order: foreach two addcdiv (no eps); single-tensor <c>mhat = m / bc1</c>, then the rectified or plain step.</summary>
struct RadamTorchTail<T> : IMomentTail<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public RadamTorchStep<T> S;
    public bool Fused, Foreach;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Apply<TV>(TV p, TV g, TV m, TV v) where TV : struct, IVec<TV, T>
    {
        if (Foreach)
        {
            p = TorchOps<T>.AddCdiv(p, m, TV.Sqrt(v) / TV.Create(S.Bc2Sqrt), S.RectifiedCoefficient);
            return TorchOps<T>.AddCdiv(p, m, TV.Create(T.One), S.UnrectifiedCoefficient);
        }
        TV mhat = m / TV.Create(S.Bc1);
        if (S.Rectified)
        {
            TV adaptive = (TV.Create(T.One) / (TV.Sqrt(v) + TV.Create(S.Eps))) * TV.Create(S.Bc2Sqrt);
            return TorchOps<T>.Add(p, ((mhat * TV.Create(S.Lr)) * adaptive) * TV.Create(S.Rect), -T.One, Fused);
        }
        return TorchOps<T>.Add(p, mhat * TV.Create(S.Lr), -T.One, Fused);
    }
}
