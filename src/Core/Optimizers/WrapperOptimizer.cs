using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What every optimizer that wraps a base optimizer shares (Schedule-Free, weight averaging, Lookahead): the state holds the
/// wrapper's own slots first and the base's slots after them; the base steps through a view of those slots (made once per
/// state, sharing the memory, so an update allocates nothing) whose step is the wrapper's step before this update; the
/// base's own starting values (Adagrad's accumulator) are copied in at Init. A path supplies the base optimizer of the same
/// path and its element-wise passes. Bases whose state keeps scalars are refused by the options records (one line naming the
/// wrapper and the base), so a wrapper's scalars are its own.
/// </summary>
public abstract class WrapperOptimizer : OptimizerBase
{
    readonly IReadOnlyList<string> _baseSlots;
    readonly int _ownSlots;

    /// <param name="options">The wrapper's options (its slots: <paramref name="ownSlots"/> of its own, then the base's).</param>
    /// <param name="baseOptions">The base's options, as the wrapper's options hold them.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <paramref name="baseOptions"/>.</param>
    /// <param name="ownSlots">How many slots the wrapper keeps before the base's.</param>
    protected WrapperOptimizer(IOptimizerOptions options, IOptimizerOptions baseOptions, IOptimizer baseOptimizer, int ownSlots) : base(options)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        ArgumentNullException.ThrowIfNull(baseOptimizer);
        BaseOptimizer = baseOptimizer;
        _baseSlots = baseOptions.SlotNames;
        _ownSlots = ownSlots;
    }

    /// <summary>The optimizer the wrapper steps with.</summary>
    public IOptimizer BaseOptimizer { get; }

    /// <summary>Keeps shapes when the base does (Adafactor, Muon): the base's state inside this one has the tensor's shape.</summary>
    protected internal override bool ShapeAware => WrapsShapeAware(BaseOptimizer);

    /// <inheritdoc/>
    protected internal override int[] SlotLengths(ReadOnlySpan<int> shape) => WrapperSlotLengths(BaseOptimizer, _ownSlots, shape);

    /// <inheritdoc/>
    protected override void InitializeSlots<T>(OptimizerState<T> state)
    {
        var fresh = FreshBaseState(BaseOptimizer, state);
        var inner = state.Inner(BaseOptimizer.Name, _baseSlots, _ownSlots);
        for (int k = 0; k < _baseSlots.Count; k++) fresh.SlotAt(k).CopyTo(inner.SlotAt(k));
    }

    /// <summary>One base update of <paramref name="parameters"/> with the base's slots of <paramref name="state"/> (its step: this update's t - 1).</summary>
    protected void UpdateBase<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inner = state.Inner(BaseOptimizer.Name, _baseSlots, _ownSlots);
        inner.Step = state.Step - 1;
        BaseOptimizer.Update(inner, parameters, gradients, learningRate);
    }

    /// <summary>The arguments of an <see cref="IEvaluationWeights.EvaluationWeights{T}"/>: this optimizer's state, three equal lengths.</summary>
    protected void CheckEvaluationArguments<T>(OptimizerState<T> state, ReadOnlySpan<T> parameters, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        Guard.SameLength(state.Length, "state", parameters.Length, nameof(parameters));
        Guard.SameLength(parameters.Length, nameof(parameters), destination.Length, nameof(destination));
        if (state.Optimizer != Name)
            throw new ArgumentException($"state belongs to optimizer '{state.Optimizer}', not '{Name}'.", nameof(state));
    }
}
