namespace NetNumerics.Optimizers;

/// <summary>
/// Hyperparameters of one optimizer (an immutable record). Every single value is checked when it is
/// set (ArgumentOutOfRangeException naming it); <see cref="Validate"/> checks combinations. The
/// learning rate is not an option: it is passed to every update (a schedule's value at that step).
/// Keras 2's <c>decay</c> argument (<c>lr0/(1+decay*iterations)</c>, iterations = updates already
/// applied) is not duplicated here: it is the InverseTime schedule evaluated at <c>state.Step</c>.
/// </summary>
public interface IOptimizerOptions
{
    /// <summary>Optimizer and variant, e.g. "adam" or "sgd-momentum-keras"; stored in the state.</summary>
    string Name { get; }

    /// <summary>The state slots this variant needs, in order.</summary>
    IReadOnlyList<string> SlotNames { get; }

    /// <summary>The scalar entries of the state (<see cref="OptimizerState{T}.Scalars"/>), in order; none by default.</summary>
    IReadOnlyList<string> ScalarNames => [];

    /// <summary>Throws an ArgumentException naming the option if a combination is not allowed.</summary>
    void Validate();
}

static class OptionChecks
{
    public static TEnum Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be one of [{string.Join(", ", Enum.GetNames<TEnum>())}], but was {value}.");
        return value;
    }
}
