using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adagrad, the specification: <c>clr = lr/(1 + (t-1)*lr_decay)</c> (double); <c>acc = acc + g*g</c>;
/// Keras <c>p = p - clr*(g/sqrt(acc + eps))</c> or PyTorch <c>p = p - clr*(g/(sqrt(acc) + eps))</c>.
/// The accumulator starts at InitialAccumulatorValue.
/// </summary>
/// <remarks>
/// <para><b>Subnormal, huge, infinite and NaN inputs</b> (parameters, gradients, state): propagated, never checked
/// and never flushed; each element follows IEEE 754 arithmetic on its own, so one bad element never changes another.
/// The learning rate is checked (finite, &gt;= 0: ArgumentOutOfRangeException naming it) and so is every
/// hyperparameter (by its options record); a valid hyperparameter that rounds to 0 or to infinity in T (epsilon
/// 1e-300 in float, say) is used as rounded. Subnormals are ordinary numbers here. A NaN anywhere in an element's
/// inputs makes that element's parameter NaN and keeps it NaN at every later step; which NaN payload comes out when
/// two NaNs meet is not specified (IEEE 754-2019 §6.2.3), so the Fast twin is proved to give NaN exactly where this
/// gives NaN and the same bits everywhere else.</para>
/// <para>Adagrad: once <c>g*g</c> overflows the accumulator is +inf for good (<c>inf + g*g</c>) and every later update of that
/// element with a finite gradient is <c>g/inf = 0</c> (frozen); an infinite gradient gives <c>inf/inf = NaN</c>.</para>
/// </remarks>
public sealed class Adagrad(AdagradOptions options) : OptimizerBase(options)
{
    /// <summary>Fills "accumulator" with <see cref="AdagradOptions.InitialAccumulatorValue"/> (Keras 0.1, PyTorch 0).</summary>
    /// <param name="state">The fresh state.</param>
    protected override void InitializeSlots<T>(OptimizerState<T> state) =>
        state.Slot("accumulator").Span.Fill(C<T>(options.InitialAccumulatorValue));

    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        double clr = lr / (1.0 + (state.Step - 1) * options.LrDecay);
        T clrT = C<T>(clr), eps = C<T>(options.Epsilon);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(clr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> acc = state.Slot("accumulator").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            acc[i] = acc[i] + gi * gi;
            T denom = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt ? T.Sqrt(acc[i] + eps) : T.Sqrt(acc[i]) + eps;
            p[i] = p[i] - clrT * (gi / denom);
        }
    }

    /// <summary>
    /// torch/optim/adagrad.py: <c>g = maximize ? -g : g; g = g.add(p, alpha=wd); sum.addcmul_(g, g, value=1);
    /// std = sum.sqrt().add_(eps); p.addcdiv_(g, std, value=-clr)</c>. Single-tensor: <c>clr = lr/(1 + (step-1)*lr_decay)</c>
    /// in double; foreach: the same in float32 and <c>p += (g*(-clr))/std</c> (<see cref="AdagradTorchStep{T}"/>).
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new AdagradTorchStep<T>(options, state.Step, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        bool foreach_ = options.TorchPath == TorchPath.Foreach;
        Span<T> sum = state.Slot("accumulator").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            sum[i] = TorchOps.AddCmul(sum[i], gi, gi, T.One, fused);
            T std = T.Sqrt(sum[i]) + s.Eps;
            p[i] = foreach_ ? p[i] + (gi * s.MinusClr) / std : TorchOps.AddCdiv(p[i], gi, std, s.MinusClr);
        }
    }
}

/// <summary>Adagrad's per-step scalars in torch's form, shared with the Fast path.</summary>
internal readonly struct AdagradTorchStep<T> where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay, Eps, MinusClr;

    public AdagradTorchStep(AdagradOptions o, long t, double lr)
    {
        WeightDecay = TorchOps.S<T>(o.WeightDecay);
        Eps = TorchOps.S<T>(o.Epsilon);
        double step = TorchOps.FloatStep(t);
        if (o.TorchPath == TorchPath.SingleTensor)
        {
            MinusClr = TorchOps.S<T>(-(lr / (1 + (step - 1) * o.LrDecay)));       // Python doubles
        }
        else
        {
            // foreach: `-lr / (1 + (step - 1) * lr_decay)` with step a float32 tensor is float32 tensor arithmetic,
            // and a scalar over a tensor is reciprocal() * scalar; a float32 0-dim tensor widens exactly for double.
            float x = ((float)step - 1f) * (float)o.LrDecay;
            float y = x + 1f;
            MinusClr = T.CreateTruncating((1f / y) * (float)(-lr));
        }
    }
}
