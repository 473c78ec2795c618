using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adadelta, the specification (Zeiler 2012, Algorithm 1; Keras/PyTorch identical):
/// <c>v = rho*v + (1-rho)*(g*g); d = (sqrt(u + eps)/sqrt(v + eps))*g; u = rho*u + (1-rho)*(d*d); p = p - lr*d</c>.
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
/// <para>Adadelta: when <c>g*g</c> overflows, v = +inf and <c>d = (sqrt(u + eps)/inf)*g = 0</c>, so the element does not move
/// (rho = 0 turns that v into NaN at the next step: <c>0*inf</c>);
/// an infinite gradient gives <c>d = 0 * inf = NaN</c>.</para>
/// </remarks>
public sealed class Adadelta(AdadeltaOptions options) : OptimizerBase(options)
{
    /// <inheritdoc />
    protected override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        T lrT = C<T>(lr), rho = C<T>(options.Rho), oneMinusRho = C<T>(1.0 - options.Rho), eps = C<T>(options.Epsilon);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(lr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> v = state.Slot("v").Span, u = state.Slot("u").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            T d = T.Sqrt(u[i] + eps) / T.Sqrt(v[i] + eps) * gi;
            u[i] = rho * u[i] + oneMinusRho * (d * d);
            p[i] = p[i] - lrT * d;
        }
    }
}
