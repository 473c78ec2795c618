using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Lion, the specification (Chen et al. 2023, arXiv:2302.06675, Algorithm 2, "Lion" with decoupled weight decay):
/// <code>
/// c_t     = b1 * m_{t-1} + (1 - b1) * g_t
/// theta_t = theta_{t-1} - lr_t * (sign(c_t) + wd * theta_{t-1})
/// m_t     = b2 * m_{t-1} + (1 - b2) * g_t
/// </code>
/// sign is -1, +1, or c itself where c is ±0 or NaN (so a zero interpolation moves nothing and a NaN gradient shows).
/// With wd = 0 the decay term is left out, not multiplied by 0 (0 * infinity would be NaN).
/// </summary>
/// <remarks>
/// <para><b>Subnormal, huge, infinite and NaN inputs</b> (parameters, gradients, state): propagated, never checked
/// and never flushed; each element follows IEEE 754 arithmetic on its own, so one bad element never changes another.
/// The learning rate is checked (finite, &gt;= 0: ArgumentOutOfRangeException naming it) and so is every
/// hyperparameter (by its options record). Subnormals are ordinary numbers here. Which NaN payload comes out when two
/// NaNs meet is not specified (IEEE 754-2019 §6.2.3), so the Fast twin is proved to give NaN exactly where this gives
/// NaN and the same bits everywhere else.</para>
/// <para>Lion: the gradient's size never enters the step, only the sign of c. A subnormal, huge or infinite c is ±1, so
/// the element moves by exactly lr (plus lr*wd*p); an interpolation that overflows is infinite and still ±1. A NaN
/// gradient makes c, the parameter and the momentum NaN, and the NaN momentum keeps the parameter NaN at every later
/// step. An infinite gradient leaves an infinite momentum, which keeps the sign (the element keeps moving by lr) until
/// <c>0*inf</c> (b1 = 0 or b2 = 0) or <c>inf - inf</c> (an opposite infinite gradient) makes it NaN. With weight decay an
/// infinite parameter becomes NaN (<c>inf - lr*(s + wd*inf)</c>); without, it stays infinite.</para>
/// </remarks>
public sealed class Lion(LionOptions options) : OptimizerBase(options)
{
    /// <summary>-1 for c &lt; 0, +1 for c &gt; 0, c itself for ±0 and NaN (numpy's <c>sign</c> on those).</summary>
    internal static T Sign<T>(T c) where T : IFloatingPointIeee754<T> =>
        c > T.Zero ? T.One : c < T.Zero ? -T.One : c;

    /// <inheritdoc/>
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        T lrT = C<T>(lr), wd = C<T>(options.WeightDecay);
        T b1 = C<T>(options.Beta1), oneMinusB1 = C<T>(1.0 - options.Beta1);
        T b2 = C<T>(options.Beta2), oneMinusB2 = C<T>(1.0 - options.Beta2);
        bool decay = options.WeightDecay != 0;
        Span<T> m = state.Slot("m").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T c = b1 * m[i] + oneMinusB1 * g[i];
            T u = Sign(c);
            if (decay) u = u + wd * p[i];
            p[i] = p[i] - lrT * u;
            m[i] = b2 * m[i] + oneMinusB2 * g[i];
        }
    }
}
