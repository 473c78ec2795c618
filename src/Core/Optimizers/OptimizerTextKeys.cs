using NetNumerics.Schedules;

namespace NetNumerics.Optimizers;

/// <summary>
/// One key of an optimizer's text form: its name, what values are allowed (for error messages), how to show the
/// record's value and how to read a new one into the record. Values out of the record's range are rejected by the
/// record's own setter (an ArgumentOutOfRangeException), turned here into "key=value is out of range: allowed".
/// </summary>
internal sealed record OptimizerKey<T>(string Name, string Allowed, Func<T, string> Show, Func<T, KeyValueArgs, T> Read)
    where T : IOptimizerOptions
{
    public string Help => Allowed.StartsWith("one of ", StringComparison.Ordinal) ? $"{Name} ({Allowed[7..].Replace(", ", " | ")})" : Name;
}

/// <summary>Builders of <see cref="OptimizerKey{T}"/> for numbers, flags and named choices.</summary>
internal static class OptimizerKeys
{
    public const string UnitInterval = "a number in [0, 1)", Positive = "a number > 0", NonNegative = "a number >= 0";

    static T Set<T>(KeyValueArgs a, string name, string allowed, Func<T> set)
    {
        try { return set(); }
        catch (ArgumentOutOfRangeException) { throw a.Error($"{name}={a.Raw(name)} is out of range; allowed: {allowed}"); }
    }

    public static OptimizerKey<T> Number<T>(string name, string allowed, Func<T, double> get, Func<T, double, T> set) where T : IOptimizerOptions =>
        new(name, allowed, x => ScheduleText.Num(get(x)), (x, a) =>
        {
            if (!a.Has(name)) return x;
            double v = a.Double(name, get(x));
            return Set(a, name, allowed, () => set(x, v));
        });

    public static OptimizerKey<T> Flag<T>(string name, Func<T, bool> get, Func<T, bool, T> set) where T : IOptimizerOptions =>
        new(name, "true or false", x => ScheduleText.Bool(get(x)), (x, a) => a.Has(name) ? set(x, a.Bool(name, get(x))) : x);

    public static OptimizerKey<T> Choice<T, TEnum>(string name, Func<T, TEnum> get, Func<T, TEnum, T> set, params (string Text, TEnum Value)[] options)
        where T : IOptimizerOptions where TEnum : struct, Enum =>
        new(name, "one of " + string.Join(", ", options.Select(o => o.Text)),
            x => options.First(o => EqualityComparer<TEnum>.Default.Equals(o.Value, get(x))).Text,
            (x, a) => a.Has(name) ? set(x, a.Choice(name, get(x), options)) : x);

    // Keys several optimizers share.
    public static OptimizerKey<T> Eps<T>(Func<T, double> get, Func<T, double, T> set) where T : IOptimizerOptions => Number("eps", Positive, get, set);
    public static OptimizerKey<T> Beta1<T>(Func<T, double> get, Func<T, double, T> set) where T : IOptimizerOptions => Number("beta1", UnitInterval, get, set);
    public static OptimizerKey<T> Beta2<T>(Func<T, double> get, Func<T, double, T> set) where T : IOptimizerOptions => Number("beta2", UnitInterval, get, set);
    public static OptimizerKey<T> WeightDecay<T>(Func<T, double> get, Func<T, double, T> set) where T : IOptimizerOptions =>
        Number("weight_decay", NonNegative, get, set);
    public static OptimizerKey<T> WeightDecayMode<T>(Func<T, WeightDecayMode> get, Func<T, WeightDecayMode, T> set) where T : IOptimizerOptions =>
        Choice("weight_decay_mode", get, set, ("l2", Optimizers.WeightDecayMode.L2), ("decoupled", Optimizers.WeightDecayMode.Decoupled));
    public static OptimizerKey<T> MomentumForm<T>(Func<T, MomentumForm> get, Func<T, MomentumForm, T> set) where T : IOptimizerOptions =>
        Choice("momentum_form", get, set, ("keras", Optimizers.MomentumForm.Keras), ("pytorch", Optimizers.MomentumForm.PyTorch));
    public static OptimizerKey<T> EpsPlacement<T>(Func<T, EpsilonPlacement> get, Func<T, EpsilonPlacement, T> set) where T : IOptimizerOptions =>
        Choice("eps_mode", get, set, ("inside", EpsilonPlacement.InsideSqrt), ("outside", EpsilonPlacement.OutsideSqrt));
}
