using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>
/// Adagrad, the specification: <c>clr = lr/(1 + (t-1)*lr_decay)</c> (double); <c>acc = acc + g*g</c>;
/// Keras <c>p = p - clr*(g/sqrt(acc + eps))</c> or PyTorch <c>p = p - clr*(g/(sqrt(acc) + eps))</c>.
/// The accumulator starts at InitialAccumulatorValue.
/// </summary>
public sealed class Adagrad(AdagradOptions options) : OptimizerBase(options)
{
    protected override void InitializeSlots<T>(OptimizerState<T> state) =>
        state.Slot("accumulator").Span.Fill(C<T>(options.InitialAccumulatorValue));

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
