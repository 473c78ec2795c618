using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// RMSprop, the specification: <c>v = rho*v + (1-rho)*(g*g)</c>; centered <c>mg = rho*mg + (1-rho)*g; s = v - mg*mg</c>
/// else <c>s = v</c>; <c>q = g/sqrt(s + eps)</c> (Keras) or <c>g/(sqrt(s) + eps)</c> (PyTorch);
/// no momentum <c>p = p - lr*q</c>; Keras momentum <c>b = mom*b + lr*q; p = p - b</c>;
/// PyTorch momentum <c>b = mom*b + q; p = p - lr*b</c>.
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
/// <para>RMSprop: when <c>g*g</c> overflows, v = +inf and <c>q = g/inf = 0</c> (the element does not move; rho = 0 turns
/// that v into NaN at the next step) unless centered, where
/// <c>s = v - mg*mg</c> can be <c>inf - inf = NaN</c>; centered <c>s</c> can also round below zero, and then the square root
/// of a negative <c>s + eps</c> (or <c>s</c>) is NaN, as in PyTorch and Keras. Momentum buffers keep any infinity or NaN.</para>
/// </remarks>
public sealed class Rmsprop(RmspropOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        T lrT = C<T>(lr), rho = C<T>(options.Rho), oneMinusRho = C<T>(1.0 - options.Rho);
        T eps = C<T>(options.Epsilon), mom = C<T>(options.Momentum);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> v = state.Slot("v").Span;
        Span<T> mg = options.Centered ? state.Slot("mg").Span : default;
        Span<T> buf = options.Momentum != 0 ? state.Slot("momentum").Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            T s = v[i];
            if (options.Centered)
            {
                mg[i] = rho * mg[i] + oneMinusRho * gi;
                s = v[i] - mg[i] * mg[i];
            }
            T denom = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt ? T.Sqrt(s + eps) : T.Sqrt(s) + eps;
            T q = gi / denom;
            if (options.Momentum == 0)
            {
                p[i] = p[i] - lrT * q;
            }
            else if (options.MomentumForm == MomentumForm.Keras)
            {
                buf[i] = mom * buf[i] + lrT * q;
                p[i] = p[i] - buf[i];
            }
            else
            {
                buf[i] = mom * buf[i] + q;
                p[i] = p[i] - lrT * buf[i];
            }
        }
    }

    /// <summary>
    /// torch/optim/rmsprop.py (both paths give the same bits): <c>g = maximize ? -g : g; g = g.add(p, alpha=wd);
    /// sq.mul_(alpha).addcmul_(g, g, value=1-alpha)</c>; centered <c>ga.mul_(alpha).add_(g, alpha=1-alpha);
    /// avg = sq.addcmul(ga, ga, value=-1).sqrt_()</c> else <c>avg = sq.sqrt()</c>; <c>avg = avg.add_(eps)</c>;
    /// momentum <c>buf.mul_(m).addcdiv_(g, avg); p.add_(buf, alpha=-lr)</c> else <c>p.addcdiv_(g, avg, value=-lr)</c>.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new RmspropTorchStep<T>(options, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        bool momentum = options.Momentum != 0;
        Span<T> sq = state.Slot("v").Span;
        Span<T> ga = options.Centered ? state.Slot("mg").Span : default;
        Span<T> buf = momentum ? state.Slot("momentum").Span : default;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            sq[i] = TorchOps.AddCmul(sq[i] * s.Alpha, gi, gi, s.OneMinusAlpha, fused);
            T avg;
            if (options.Centered)
            {
                ga[i] = TorchOps.Add(ga[i] * s.Alpha, gi, s.OneMinusAlpha, fused);
                avg = T.Sqrt(TorchOps.AddCmul(sq[i], ga[i], ga[i], -T.One, fused));
            }
            else avg = T.Sqrt(sq[i]);
            avg = avg + s.Eps;
            if (momentum)
            {
                buf[i] = TorchOps.AddCdiv(buf[i] * s.Momentum, gi, avg, T.One);
                p[i] = TorchOps.Add(p[i], buf[i], s.MinusLr, fused);
            }
            else p[i] = TorchOps.AddCdiv(p[i], gi, avg, s.MinusLr);
        }
    }
}

/// <summary>RMSprop's per-step scalars in torch's form, shared with the Fast path: Python doubles, each rounded once to T.</summary>
internal readonly struct RmspropTorchStep<T>(RmspropOptions o, double lr) where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay = TorchOps.S<T>(o.WeightDecay), Alpha = TorchOps.S<T>(o.Rho), OneMinusAlpha = TorchOps.S<T>(1 - o.Rho);
    public readonly T Eps = TorchOps.S<T>(o.Epsilon), Momentum = TorchOps.S<T>(o.Momentum), MinusLr = TorchOps.S<T>(-lr);
}
