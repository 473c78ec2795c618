namespace NetNumerics.Optimizers;

/// <summary>
/// The weight-decay coefficient every option record of this library carries, read and replaced without knowing the
/// record's type (parameter groups set it per group; Keras' <c>exclude_from_weight_decay</c> sets it to 0).
/// The mode (L2, decoupled, Lion's own form) stays the record's.
/// </summary>
public static class WeightDecayOption
{
    /// <summary>The record's WeightDecay; an ArgumentException for a record type this library does not define.</summary>
    public static double WeightDecayOf(this IOptimizerOptions options) => options switch
    {
        SgdOptions o => o.WeightDecay,
        AdagradOptions o => o.WeightDecay,
        AdadeltaOptions o => o.WeightDecay,
        RmspropOptions o => o.WeightDecay,
        AdamOptions o => o.WeightDecay,
        AdamWOptions o => o.WeightDecay,
        AdamaxOptions o => o.WeightDecay,
        NadamOptions o => o.WeightDecay,
        RadamOptions o => o.WeightDecay,
        LionOptions o => o.WeightDecay,
        AdafactorOptions o => o.WeightDecay,
        MuonOptions o => o.WeightDecay,
        LambOptions o => o.WeightDecay,
        ScheduleFreeOptions o => o.WeightDecay,
        AveragingOptions o => o.Base.WeightDecayOf(),
        LookaheadOptions o => o.Base.WeightDecayOf(),
        null => throw new ArgumentNullException(nameof(options)),
        _ => throw Unknown(options),
    };

    /// <summary>A copy of the record with WeightDecay = <paramref name="weightDecay"/> (checked by the record: finite, &gt;= 0).</summary>
    public static IOptimizerOptions WithWeightDecay(this IOptimizerOptions options, double weightDecay) => options switch
    {
        SgdOptions o => o with { WeightDecay = weightDecay },
        AdagradOptions o => o with { WeightDecay = weightDecay },
        AdadeltaOptions o => o with { WeightDecay = weightDecay },
        RmspropOptions o => o with { WeightDecay = weightDecay },
        AdamOptions o => o with { WeightDecay = weightDecay },
        AdamWOptions o => o with { WeightDecay = weightDecay },
        AdamaxOptions o => o with { WeightDecay = weightDecay },
        NadamOptions o => o with { WeightDecay = weightDecay },
        RadamOptions o => o with { WeightDecay = weightDecay },
        LionOptions o => o with { WeightDecay = weightDecay },
        AdafactorOptions o => o with { WeightDecay = weightDecay },
        MuonOptions o => o with { WeightDecay = weightDecay },
        LambOptions o => o with { WeightDecay = weightDecay },
        ScheduleFreeOptions o => o with { WeightDecay = weightDecay },
        AveragingOptions o => o with { Base = o.Base.WithWeightDecay(weightDecay) },
        LookaheadOptions o => o with { Base = o.Base.WithWeightDecay(weightDecay) },
        null => throw new ArgumentNullException(nameof(options)),
        _ => throw Unknown(options),
    };

    static ArgumentException Unknown(IOptimizerOptions options) =>
        new($"options of type {options.GetType().Name} have no weight decay this library knows how to set; use a record of NetNumerics.Optimizers.", nameof(options));
}
