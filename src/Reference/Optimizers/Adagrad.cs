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
        double clr = lr / (1.0 + (state.Step - 1) * options.LrDecay);
        T clrT = C<T>(clr), eps = C<T>(options.Epsilon);
        T wd = C<T>(options.WeightDecay), lrWd = C<T>(clr * options.WeightDecay);
        bool l2 = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.L2;
        bool decoupled = options.WeightDecay != 0 && options.WeightDecayMode == WeightDecayMode.Decoupled;
        Span<T> acc = state.Slot("accumulator").Span;
        for (int i = 0; i < p.Length; i++)
        {
            T gi = g[i];
            if (l2) gi = gi + wd * p[i];
            if (decoupled) p[i] = p[i] - lrWd * p[i];
            acc[i] = acc[i] + gi * gi;
            T denom = options.EpsilonPlacement == EpsilonPlacement.InsideSqrt ? T.Sqrt(acc[i] + eps) : T.Sqrt(acc[i]) + eps;
            p[i] = p[i] - clrT * (gi / denom);
        }
    }
}
