using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// AdaMax, the specification: <c>m = b1*m + (1-b1)*g</c>;
/// Keras <c>u = max(b2*u, |g|); p = p - (lr/bc1)*(m/(u + eps))</c>;
/// PyTorch <c>u = max(b2*u, |g| + eps); p = p - (lr/bc1)*(m/u)</c>; bc1 = 1 - b1^t in double.
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
/// <para>AdaMax: <c>u = max(b2*u, |g|)</c> is IEEE 754 maximum: a NaN gradient gives a NaN u (it is not skipped), an
/// infinite one gives u = +inf and then <c>m/(u + eps) = inf/inf = NaN</c>. Huge finite gradients do not overflow u
/// (no square), but m can overflow to infinity when <c>|g|</c> is near MaxValue.</para>
/// </remarks>
public sealed class Adamax(AdamaxOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        if (options.Order.IsPyTorch()) { ApplyPyTorch(state, p, g, lr); return; }
        double bc1 = 1.0 - Math.Pow(options.Beta1, state.Step);
        T step = C<T>(lr / bc1), b1 = C<T>(options.Beta1), oneMinusB1 = C<T>(1.0 - options.Beta1), b2 = C<T>(options.Beta2);
        T eps = C<T>(options.Epsilon), wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        bool keras = options.EpsilonMode == AdamaxEpsilon.KerasOutsideMax;
        Span<T> m = state.Slot("m").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            if (keras)
            {
                u[i] = T.Max(b2 * u[i], T.Abs(gi));
                p[i] = p[i] - step * (m[i] / (u[i] + eps));
            }
            else
            {
                u[i] = T.Max(b2 * u[i], T.Abs(gi) + eps);
                p[i] = p[i] - step * (m[i] / u[i]);
            }
        }
    }

    /// <summary>
    /// torch/optim/adamax.py (both paths give the same bits): <c>g = maximize ? -g : g; g = g.add(p, alpha=wd);
    /// m.mul_(b1).add_(g, alpha=1-b1); u = amax([u.mul_(b2), g.abs().add_(eps)]); clr = lr/(1 - b1**step);
    /// p.addcdiv_(m, u, value=-clr)</c>.
    /// </summary>
    void ApplyPyTorch<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new AdamaxTorchStep<T>(options, state.Step, lr);
        bool fused = options.Order == OperationOrder.PyTorchFused, l2 = options.WeightDecay != 0;
        Span<T> m = state.Slot("m").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = options.Maximize ? -g[i] : g[i];
            if (l2) gi = TorchOps.Add(gi, p[i], s.WeightDecay, fused);
            m[i] = TorchOps.Add(m[i] * s.B1, gi, s.OneMinusB1, fused);
            u[i] = T.Max(u[i] * s.B2, T.Abs(gi) + s.Eps);
            p[i] = TorchOps.AddCdiv(p[i], m[i], u[i], s.MinusClr);
        }
    }
}

/// <summary>AdaMax's per-step scalars in torch's form, shared with the Fast path: Python doubles, each rounded once to T.</summary>
internal readonly struct AdamaxTorchStep<T>(AdamaxOptions o, long t, double lr) where T : IFloatingPointIeee754<T>
{
    public readonly T WeightDecay = TorchOps.S<T>(o.WeightDecay), B1 = TorchOps.S<T>(o.Beta1), OneMinusB1 = TorchOps.S<T>(1 - o.Beta1);
    public readonly T B2 = TorchOps.S<T>(o.Beta2), Eps = TorchOps.S<T>(o.Epsilon);
    public readonly T MinusClr = TorchOps.S<T>(-(lr / (1 - Math.Pow(o.Beta1, TorchOps.FloatStep(t)))));
}
