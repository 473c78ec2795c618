using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What the Reference and Fast weight-averaging optimizers share (<see cref="AveragingOptions"/> has the formulas): the
/// base step through a view of the base's slots, which updates to average at, and the evaluation weights. A path supplies
/// the base optimizer and the element-wise <see cref="Ema{T}"/> and <see cref="Mean{T}"/>.
/// </summary>
public abstract class AveragingOptimizer : OptimizerBase, IEvaluationWeights
{
    readonly AveragingOptions _options;
    readonly IOptimizer _base;
    readonly IReadOnlyList<string> _baseSlots;

    /// <param name="options">The averaging options.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <c>options.Base</c>.</param>
    protected AveragingOptimizer(AveragingOptions options, IOptimizer baseOptimizer) : base(options)
    {
        ArgumentNullException.ThrowIfNull(baseOptimizer);
        _options = options;
        _base = baseOptimizer;
        _baseSlots = options.Base.SlotNames;
    }

    /// <summary>The optimizer that updates the weights.</summary>
    public IOptimizer BaseOptimizer => _base;

    /// <summary>Keeps shapes when the base does (Adafactor, Muon): the base's state inside this one has the tensor's shape.</summary>
    protected internal override bool ShapeAware => WrapsShapeAware(_base);

    /// <inheritdoc/>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape) => WrapperSlotLengths(_base, 1, shape);

    /// <inheritdoc/>
    protected override void InitializeSlots<T>(OptimizerState<T> state)
    {
        var fresh = FreshBaseState(_base, state);
        var inner = state.Inner(_base.Name, _baseSlots, 1);
        for (int k = 0; k < _baseSlots.Count; k++) fresh.SlotAt(k).CopyTo(inner.SlotAt(k));
    }

    /// <inheritdoc/>
    protected sealed override void Apply<T>(OptimizerState<T> state, Span<T> p, ReadOnlySpan<T> g, double lr)
    {
        var inner = state.Inner(_base.Name, _baseSlots, 1);
        inner.Step = state.Step - 1;
        _base.Update(inner, p, g, lr);
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
        ArgumentNullException.ThrowIfNull(state);
        Guard.SameLength(state.Length, "state", parameters.Length, nameof(parameters));
        Guard.SameLength(parameters.Length, nameof(parameters), destination.Length, nameof(destination));
        if (state.Optimizer != Name)
            throw new ArgumentException($"state belongs to optimizer '{state.Optimizer}', not '{Name}'.", nameof(state));
        bool averaged = _options.Mode == WeightAveraging.Ema ? state.Step > 0 : _options.SwaCount(state.Step) > 0;
        if (averaged) state.SlotAt(0).Span.CopyTo(destination);
        else parameters.CopyTo(destination);
    }
}
