using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>
/// The case loop the Fast == Reference optimizer properties share (Keras order in FastMatchesReferenceProperties, torch's
/// orders in TorchOrderFastMatchesReference): option records by optimizer name, typical element values, and the check of
/// each record through the kit's KernelCheck.Optimizer (every width, 7 steps, compared and re-synced after each).
/// </summary>
static class FastReferenceCases
{
    /// <summary>Values like real parameters and gradients: |x| in [2^-10, 2^11) (about 1e-3 .. 2e3) with exact zeros of both signs.</summary>
    public static Gen<T> Typical<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Gen.Frequency((22, FloatGen.InBinades<T>(-10, 10)), (1, FloatGen.OfClass<T>(FloatClass.Zero)));

    /// <summary>Valid option records of the optimizer <paramref name="name"/> (the kit's HyperGen; the wrappers' own generators).</summary>
    public static Gen<IOptimizerOptions> OptionsFor(string name) => name switch
    {
        "sgd" => HyperGen.Sgd, "adam" => HyperGen.Adam, "adagrad" => HyperGen.Adagrad,
        "adadelta" => HyperGen.Adadelta, "rmsprop" => HyperGen.Rmsprop, "adamax" => HyperGen.Adamax,
        "nadam" => HyperGen.Nadam, "radam" => HyperGen.Radam, "lion" => HyperGen.Lion,
        "schedule-free" => WrapperGens.ScheduleFree, "averaging" => WrapperGens.Averaging, "lookahead" => WrapperGens.Lookahead,
        _ => throw new ArgumentException(name),
    };

    /// <summary>
    /// <paramref name="optionRecords"/> records drawn from <paramref name="options"/>, each checked on
    /// <paramref name="casesPerRecord"/> generated cases: Fast == Reference bit for bit (the kit's default NaN policy).
    /// <paramref name="rates"/>: the learning rates per step (default the kit's).
    /// </summary>
    public static void Check<T>(Gen<IOptimizerOptions> options, Gen<T> values, int optionRecords, int casesPerRecord, Gen<double>? rates = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Prop.ForAll(options.ToArbitrary(), o =>
            KernelCheck.Optimizer<T>(ReferenceOptimizers.For(o), FastOptimizers.For(o),
                new KernelCheckOptions<T> { Values = values, MaxTest = casesPerRecord, LearningRates = rates ?? HyperGen.LearningRate }))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(optionRecords));
}
