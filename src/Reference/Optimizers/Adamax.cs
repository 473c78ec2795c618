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
        double bc1 = 1.0 - Math.Pow(options.Beta1, state.Step);
        T step = C<T>(lr / bc1), b1 = C<T>(options.Beta1), oneMinusB1 = C<T>(1.0 - options.Beta1), b2 = C<T>(options.Beta2);
        T eps = C<T>(options.Epsilon), wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        bool keras = options.EpsilonMode == AdamaxEpsilon.KerasOutsideMax;
        Span<T> m = state.Slot("m").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
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
}
