using System.Numerics;

namespace NetNumerics.Optimizers;

/// <summary>
/// What every optimizer does around its formula, shared by the Reference and the Fast path:
/// <see cref="Init{T}"/> allocates the slots the options name (and lets the optimizer fill them),
/// <see cref="Update{T}"/> checks the arguments (state belongs to this optimizer, same lengths,
/// finite lr &gt;= 0), increments <see cref="OptimizerState{T}.Step"/> (so t = Step is 1-based inside
/// <see cref="Apply{T}"/>) and applies the formula.
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
    }

    /// <summary>The options record this optimizer was built from.</summary>
    public IOptimizerOptions Options { get; }
    /// <inheritdoc />
    public string Name { get; }
    /// <summary>The slots every state of this optimizer holds, in order (<see cref="IOptimizerOptions.SlotNames"/>).</summary>
    public IReadOnlyList<string> SlotNames { get; }

    /// <inheritdoc />
    public OptimizerState<T> Init<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NonNegative(length, nameof(length));
        var state = new OptimizerState<T>(Name, length, SlotNames);
        InitializeSlots(state);
        return state;
    }

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
        state.Step++;
        Apply(state, parameters, gradients, learningRate);
        return state;
    }

    /// <summary>Same optimizer name and slot names, compared without allocating (Update runs per tensor per step).</summary>
    bool BelongsHere<T>(OptimizerState<T> state) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state.Optimizer != Name || state.SlotNames.Count != SlotNames.Count) return false;
        for (int i = 0; i < SlotNames.Count; i++)
            if (state.SlotNames[i] != SlotNames[i]) return false;
        return true;
    }

    /// <summary>One step of the formula; <c>state.Step</c> is already t (1-based). Arguments are checked.</summary>
    protected abstract void Apply<T>(OptimizerState<T> state, Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A double hyperparameter as T (rounded to nearest for float), the same way in both paths.</summary>
    protected static T C<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
