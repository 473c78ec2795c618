using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What every optimizer does around its formula, shared by the Reference and the Fast path:
/// <see cref="Init{T}(int)"/> allocates the slots the options name (and lets the optimizer fill them),
/// <see cref="Update{T}"/> checks the arguments (state belongs to this optimizer, same lengths,
/// finite lr &gt;= 0), increments <see cref="OptimizerState{T}.Step"/> (so t = Step is 1-based inside
/// <see cref="Apply{T}"/>) and applies the formula. Update holds the state for its duration: a second Update on the
/// same state from another thread throws <see cref="InvalidOperationException"/> (see <see cref="OptimizerState{T}"/>).
/// </summary>
public abstract class OptimizerBase : IOptimizer
{
    /// <summary>Validates <paramref name="options"/> and takes the name and slot names from them.</summary>
    /// <param name="options">The optimizer's hyperparameters.</param>
    /// <exception cref="ArgumentException">A combination of options is not allowed (<see cref="IOptimizerOptions.Validate"/>).</exception>
    protected OptimizerBase(IOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Name = options.Name;
        SlotNames = options.SlotNames;
        ScalarNames = options.ScalarNames;
    }

    /// <summary>The options record this optimizer was built from.</summary>
    public IOptimizerOptions Options { get; }
    /// <inheritdoc />
    public string Name { get; }
    /// <summary>The slots every state of this optimizer holds, in order (<see cref="IOptimizerOptions.SlotNames"/>).</summary>
    public IReadOnlyList<string> SlotNames { get; }
    /// <summary>The scalar entries every state of this optimizer holds, in order (<see cref="IOptimizerOptions.ScalarNames"/>).</summary>
    public IReadOnlyList<string> ScalarNames { get; }

    /// <inheritdoc />
    public OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NonNegative(length, nameof(length));
        return Make<T>([length]);
    }

    /// <inheritdoc />
    public OptimizerState<T> Init<T>(ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = ShapeChecks.Product(shape, nameof(shape));
        return ShapeAware ? Make<T>(shape) : Make<T>([length]);
    }

    OptimizerState<T> Make<T>(ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = ShapeAware
            ? new OptimizerState<T>(Name, shape, SlotNames, SlotLengths(shape), ScalarNames)
            : new OptimizerState<T>(Name, shape[0], SlotNames, ScalarNames);
        InitializeSlots(state);
        return state;
    }

    /// <summary>
    /// True when the states of this optimizer keep the tensor's shape (<see cref="Init{T}(ReadOnlySpan{int})"/> records it and
    /// sizes the slots by <see cref="SlotLengths"/>); false (the default) for optimizers that work element by element, whose
    /// states are the same whichever Init made them.
    /// </summary>
    protected internal virtual bool ShapeAware => false;

    /// <summary>
    /// Elements of each slot for a tensor of <paramref name="shape"/>, in slot order; called only when <see cref="ShapeAware"/>.
    /// Default: every slot has the tensor's length. Throws an <see cref="ArgumentException"/> for a shape the optimizer cannot take.
    /// </summary>
    /// <param name="shape">The tensor's dimensions (checked: each &gt;= 0, the product fits an int).</param>
    protected internal virtual int[] SlotLengths(ReadOnlySpan<int> shape)
    {
        int n = ShapeChecks.Product(shape, nameof(shape));
        return SlotNames.Select(_ => n).ToArray();
    }

    /// <summary>A wrapper's slot lengths: its own <paramref name="ownSlots"/> of the tensor's length, then its base's.</summary>
    private protected static int[] WrapperSlotLengths(IOptimizer baseOptimizer, int ownSlots, ReadOnlySpan<int> shape)
    {
        int n = ShapeChecks.Product(shape, nameof(shape));
        int[] inner = baseOptimizer is OptimizerBase { ShapeAware: true } b ? b.SlotLengths(shape) : [];
        return [.. Enumerable.Repeat(n, ownSlots), .. inner];
    }

    /// <summary>Whether a wrapper over <paramref name="baseOptimizer"/> keeps shapes: when its base does.</summary>
    private protected static bool WrapsShapeAware(IOptimizer baseOptimizer) => baseOptimizer is OptimizerBase { ShapeAware: true };

    /// <summary>The base's fresh state for a wrapper's state: made with the same shape when shapes are kept.</summary>
    private protected static OptimizerState<T> FreshBaseState<T>(IOptimizer baseOptimizer, OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T> =>
        WrapsShapeAware(baseOptimizer) ? baseOptimizer.Init<T>(state.ShapeSpan) : baseOptimizer.Init<T>(state.Length);

    /// <summary>Slots start at zero; override to start elsewhere (Adagrad's initial accumulator).</summary>
    protected virtual void InitializeSlots<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T> { }

    /// <inheritdoc />
    public OptimizerState<T> Update<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!BelongsHere(state))
            throw new ArgumentException(
                $"state belongs to optimizer '{state.Optimizer}' with slots [{string.Join(", ", state.SlotNames)}], but this optimizer is '{Name}' with slots [{string.Join(", ", SlotNames)}].",
                nameof(state));
        Guard.SameLength(state.Length, "state", parameters.Length, nameof(parameters));
        Guard.SameLength(parameters.Length, nameof(parameters), gradients.Length, nameof(gradients));
        Guard.NonNegativeFinite(learningRate, nameof(learningRate));
        CheckSlotLengths(state);
        state.BeginUpdate();   // a concurrent Update on this state throws here, before anything is touched
        try
        {
            if (state.Step >= OptimizerState<T>.MaxStep)
                throw new InvalidOperationException(
                    $"optimizer state '{state.Optimizer}' has Step {state.Step}, the largest a state may hold (2^53); it cannot be advanced.");
            state.Step++;
            Apply(state, parameters, gradients, learningRate);
        }
        finally { state.EndUpdate(); }
        return state;
    }

    /// <summary>Same optimizer name and slot names, compared without allocating (Update runs per tensor per step).</summary>
    bool BelongsHere<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state.Optimizer != Name || state.SlotNames.Count != SlotNames.Count || state.ScalarNames.Count != ScalarNames.Count) return false;
        for (int i = 0; i < SlotNames.Count; i++)
            if (state.SlotNames[i] != SlotNames[i]) return false;
        for (int i = 0; i < ScalarNames.Count; i++)
            if (state.ScalarNames[i] != ScalarNames[i]) return false;
        return true;
    }

    /// <summary>
    /// Every slot must have the length this optimizer needs for the state's shape (the kernels index the slots with
    /// pointers): the tensor's length for an element-wise optimizer (checked each call, no allocation), the lengths of
    /// <see cref="SlotLengths"/> for a shape-aware one (checked once per state, remembered in the state).
    /// </summary>
    void CheckSlotLengths<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ShapeAware)
        {
            for (int k = 0; k < SlotNames.Count; k++)
                if (state.SlotAt(k).Length != state.Length) Mismatch(state, k, state.Length);
            return;
        }
        if (ReferenceEquals(state.CheckedBy, this)) return;
        int[] want = SlotLengths(state.ShapeSpan);
        for (int k = 0; k < want.Length; k++)
            if (state.SlotAt(k).Length != want[k]) Mismatch(state, k, want[k]);
        state.CheckedBy = this;
    }

    void Mismatch<T>(OptimizerState<T> state, int k, int want) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new ArgumentException(
            $"state slot '{state.SlotNames[k]}' has {state.SlotAt(k).Length} elements, but optimizer '{Name}' needs {want} for a tensor of shape {ShapeChecks.Show(state.ShapeSpan)}.",
            nameof(state));

    /// <summary>One step of the formula; <c>state.Step</c> is already t (1-based). Arguments are checked.</summary>
    protected abstract void Apply<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A double hyperparameter as T (rounded to nearest for float), the same way in both paths.</summary>
    protected static T C<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
