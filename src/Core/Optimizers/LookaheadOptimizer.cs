using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What the Reference and Fast Lookahead share (<see cref="LookaheadOptions"/> has the formulas): the slow weights' start,
/// the base step through a view of the base's slots, and when to synchronise. A path supplies the base optimizer and the
/// element-wise <see cref="Synchronize{T}"/>.
/// </summary>
public abstract class LookaheadOptimizer : OptimizerBase
{
    readonly LookaheadOptions _options;
    readonly IOptimizer _base;
    readonly IReadOnlyList<string> _baseSlots;

    /// <param name="options">The Lookahead options.</param>
    /// <param name="baseOptimizer">The base optimizer of the same path, built from <c>options.Base</c>.</param>
    protected LookaheadOptimizer(LookaheadOptions options, IOptimizer baseOptimizer) : base(options)
    {
        ArgumentNullException.ThrowIfNull(baseOptimizer);
        _options = options;
        _base = baseOptimizer;
        _baseSlots = options.Base.SlotNames;
    }

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
        Span<T> slow = state.SlotAt(0).Span;
        if (state.Step == 1) p.CopyTo(slow);   // phi_0 = theta_0
        var inner = state.Inner(_base.Name, _baseSlots, 1);
        inner.Step = state.Step - 1;
        _base.Update(inner, p, g, lr);
        if (state.Step % _options.K == 0) Synchronize(slow, p, _options.Alpha);
    }

    /// <summary><c>slow = slow + alpha*(p - slow); p = slow</c> element-wise, alpha rounded once to T.</summary>
    protected abstract void Synchronize<T>(Span<T> slow, Span<T> p, double alpha) where T : unmanaged, IFloatingPointIeee754<T>;
}
