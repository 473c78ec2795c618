using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What the Reference and Fast weight-averaging optimizers share (<see cref="AveragingOptions"/> has the formulas): the
/// base step through a view of the base's slots, which updates to average at, and the evaluation weights. A path supplies
/// the base optimizer and the element-wise <see cref="Ema{T}"/> and <see cref="Mean{T}"/>.
/// </summary>
public abstract class AveragingOptimizer : WrapperOptimizer, IEvaluationWeights
{
    readonly AveragingOptions _options;

    /// <param name="options">The averaging options.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <c>options.Base</c>.</param>
    protected AveragingOptimizer(AveragingOptions options, IOptimizer baseOptimizer)
        : base(options, options?.Base!, baseOptimizer, ownSlots: 1) => _options = options!;

    /// <inheritdoc/>
    protected sealed override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        UpdateBase(state, p, g, lr);
        Span<T> a = state.SlotAt(0).Span;
        long t = state.Step;
        if (_options.Mode == WeightAveraging.Ema)
        {
            if (t == 1) p.CopyTo(a);
            else Ema(a, p, _options.Momentum);
            return;
        }
        if (t < _options.SwaStart || (t - _options.SwaStart) % _options.SwaEvery != 0) return;
        long n = _options.SwaCount(t) - 1;   // averages before this one
        if (n == 0) p.CopyTo(a);
        else Mean(a, p, n + 1);
    }

    /// <summary><c>a = m*a + (1-m)*p</c> element-wise, m and 1-m rounded once to T (Keras' order).</summary>
    protected abstract void Ema<T>(Span<T> a, ReadOnlySpan<T> p, double momentum) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary><c>a = a + (p - a)/count</c> element-wise, count (n + 1) as T (torch's default <c>avg_fn</c>).</summary>
    protected abstract void Mean<T>(Span<T> a, ReadOnlySpan<T> p, long count) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The average, or the parameters themselves before anything has been averaged.</summary>
    public void EvaluationWeights<T>(OptimizerState<T> state, ReadOnlySpan<T> parameters, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckEvaluationArguments(state, parameters, destination);
        bool averaged = _options.Mode == WeightAveraging.Ema ? state.Step > 0 : _options.SwaCount(state.Step) > 0;
        if (averaged) state.SlotAt(0).Span.CopyTo(destination);
        else parameters.CopyTo(destination);
    }
}
