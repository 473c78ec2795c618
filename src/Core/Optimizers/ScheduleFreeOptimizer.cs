using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What the Reference and the Fast Schedule-Free optimizers share (<see cref="ScheduleFreeOptions"/> has the formulas):
/// the scalar part of each step, computed once in double in the same order on both paths (lr_max, w_t, W_t, c_t),
/// the first step's z_0 = x_0 = y_0, the base optimizer's step on z through a view of the base's slots inside this
/// state, and the evaluation weights x. A path supplies the base optimizer and the element-wise pass
/// <see cref="Average{T}"/>.
/// </summary>
public abstract class ScheduleFreeOptimizer : WrapperOptimizer, IEvaluationWeights
{
    readonly ScheduleFreeOptions _options;

    /// <param name="options">The wrapper's options.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <c>options.Base</c> (it steps z).</param>
    protected ScheduleFreeOptimizer(ScheduleFreeOptions options, IOptimizer baseOptimizer)
        : base(options, options?.Base!, baseOptimizer, ownSlots: 2) => _options = options!;

    /// <inheritdoc/>
    protected sealed override void Apply<T>(OptimizerState<T> state, Span<T> y, ReadOnlySpan<T> g, double lr)
    {
        Span<T> z = state.SlotAt(0).Span, x = state.SlotAt(1).Span;
        if (state.Step == 1) { y.CopyTo(z); y.CopyTo(x); }   // z_0 = x_0 = y_0

        // The averaging weight (Optax schedule_free: max_lr, weight = max_lr**r, ck = weight / next_total_weight).
        Span<double> s = state.Scalars;
        double lrMax = Math.Max(s[0], lr);
        double w = Math.Pow(lrMax, _options.WeightLrPower);
        double sum = s[1] + w;
        if (!double.IsFinite(sum))
            throw new InvalidOperationException(
                $"Schedule-Free's weight sum overflowed at step {state.Step} (lr_max {lrMax}, weight_lr_power {_options.WeightLrPower}); use a smaller learning rate or power.");
        double c = sum > 0 ? w / sum : 0;
        s[0] = lrMax;
        s[1] = sum;

        UpdateBase(state, z, g, lr);   // z_t = base(z_{t-1}, g_t, lr_t)
        Average(y, z, x, lr * _options.WeightDecay, c, _options.Beta1);
    }

    /// <summary>
    /// Element-wise, in this order: <c>z = z - lrWd*y</c> (only when lrWd is not 0), <c>x = (1-c)*x + c*z</c>,
    /// <c>y = z + b1*(x - z)</c> (= b1*x + (1-b1)*z, exact when x = z or b1 = 0); every double constant rounded once to T (lrWd, c, 1-c, b1).
    /// </summary>
    protected abstract void Average<T>(Span<T> y, Span<T> z, Span<T> x, double lrWd, double c, double b1)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>x, the average (the parameters themselves before the first update).</summary>
    public void EvaluationWeights<T>(OptimizerState<T> state, ReadOnlySpan<T> parameters, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckEvaluationArguments(state, parameters, destination);
        if (state.Step == 0) parameters.CopyTo(destination);
        else state.SlotAt(1).Span.CopyTo(destination);
    }
}
