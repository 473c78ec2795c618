namespace NetNumerics.Optimizers;

/// <summary>
/// Which base optimizers a wrapper (Schedule-Free, weight averaging, Lookahead) accepts, with one line naming both when it
/// does not. A base whose state keeps scalars is refused: the only such optimizer is Schedule-Free, whose training weights
/// y are recomputed from its own z and x at every step, so a Lookahead reset of them would be overwritten at the next step and
/// an average of them would compete with its own average x for the evaluation weights; a wrapper therefore keeps its own
/// scalars only. Weight averaging and Schedule-Free both give evaluation weights, so neither wraps the other.
/// </summary>
internal static class WrappedBase
{
    /// <summary><paramref name="value"/> if <paramref name="wrapper"/> may wrap it, else an ArgumentException for <paramref name="parameter"/>.</summary>
    public static IOptimizerOptions Check(IOptimizerOptions value, string wrapper, bool evaluatesElsewhere, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        if (value is ScheduleFreeOptions)
            throw new ArgumentException(
                $"{wrapper} cannot wrap {value.Name}: Schedule-Free keeps scalars ({string.Join(", ", value.ScalarNames)}) and recomputes its training weights " +
                "from z and x at every step, so a wrapper could neither carry its state nor change its weights; use it alone, or wrap a plain optimizer.", parameter);
        if (evaluatesElsewhere && value is AveragingOptions)
            throw new ArgumentException(
                $"{wrapper} cannot wrap {value.Name}: both keep evaluation weights of their own (an average of the weights); give one.", parameter);
        if (value.ScalarNames.Count > 0)
            throw new ArgumentException(
                $"{wrapper} cannot wrap {value.Name}: its state keeps scalars ({string.Join(", ", value.ScalarNames)}), which a wrapper's state does not carry; wrap an optimizer without scalars.", parameter);
        return value;
    }
}
