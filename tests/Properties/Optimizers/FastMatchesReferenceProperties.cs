using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// Fast == Reference bit for bit (0 ULP; NaN exactly where the Reference has NaN, with any payload, the kit's default
/// NanPolicy.AnyNanEqual: which payload comes out when two NaNs meet is unspecified): parameters and every state slot, after every one of
/// 7 steps (re-synced after each), for every optimizer and variant, float and double, at every vector width
/// (512/256/128/scalar lanes), lengths 0..199 and up to 20000, random hyperparameters in their valid ranges and a
/// learning rate that changes every step. Both paths apply the same IEEE operations (+,-,*,/,sqrt,max,min,abs, no FMA)
/// in the same order to the same per-step scalars, so no tolerance is needed, and that holds on the whole float
/// range: subnormals, values near overflow, infinities and NaNs (what each optimizer does with them is written in
/// its Reference's documentation; Lion: sign(c) is ±1 for every nonzero c, subnormal and infinite included, c itself
/// for ±0 and NaN, so a NaN gradient or momentum makes that element NaN and an infinite one moves it by exactly lr).
/// </summary>
public class FastMatchesReferenceProperties
{
    public static IEnumerable<object[]> Optimizers() =>
        new[] { "sgd", "adam", "adagrad", "adadelta", "rmsprop", "adamax", "nadam", "radam", "lion", "schedule-free", "averaging", "lookahead" }
            .Select(x => new object[] { x });

    /// <summary>
    /// The kit's rates, but below 1e30 for Schedule-Free: its averaging weight lr_max^r (r up to 2.5) is summed in double, and
    /// 1e300^2 overflows, which it refuses with an exception on both paths (named in its own test) instead of averaging.
    /// </summary>
    static Gen<double> RatesFor(string optimizer) =>
        optimizer == "schedule-free" ? HyperGen.LearningRate.Where(lr => lr < 1e30) : HyperGen.LearningRate;

    // 12 option records x 5 generated cases x 7 steps x every width, per optimizer, type and range: 60 cases of up to
    // 20000 elements each: about twice the element-steps of the single-width property this replaced (150 cases, 1-8 steps, one width).
    const int OptionRecords = 12, CasesPerRecord = 5;

    static void Check<T>(string optimizer, Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        FastReferenceCases.Check(FastReferenceCases.OptionsFor(optimizer), values, OptionRecords, CasesPerRecord, RatesFor(optimizer));

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_float(string optimizer) => Check(optimizer, FastReferenceCases.Typical<float>());

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_double(string optimizer) => Check(optimizer, FastReferenceCases.Typical<double>());

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_on_the_whole_float_range(string optimizer) => Check(optimizer, FloatGen.AnyClass<float>());

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fast_equals_Reference_bitwise_on_the_whole_double_range(string optimizer) => Check(optimizer, FloatGen.AnyClass<double>());
}
