using NetNumerics.Nn;
using NetNumerics.Optimizers;

namespace NetNumerics.Reference.Optimizers;

/// <summary>The Reference (specification) optimizer for an options record; Fast.Optimizers.FastOptimizers.For is its twin.</summary>
public static class ReferenceOptimizers
{
    /// <summary>The Reference optimizer for an options record: <see cref="SgdOptions"/> gives <see cref="Sgd"/>, <see cref="AdamOptions"/> and <see cref="AdamWOptions"/> give <see cref="Adam"/>, and so on for every record in NetNumerics.Optimizers.</summary>
    /// <param name="options">Any of the optimizer option records.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The record is not one of the library's optimizers, or its combination of options is invalid.</exception>
    public static IOptimizer For(IOptimizerOptions options) => options switch
    {
        SgdOptions o => new Sgd(o),
        AdagradOptions o => new Adagrad(o),
        AdadeltaOptions o => new Adadelta(o),
        RmspropOptions o => new Rmsprop(o),
        AdamOptions o => new Adam(o),
        AdamWOptions o => new Adam(o),
        AdamaxOptions o => new Adamax(o),
        NadamOptions o => new Nadam(o),
        RadamOptions o => new Radam(o),
        LionOptions o => new Lion(o),
        AdafactorOptions o => new Adafactor(o),
        MuonOptions o => new Muon(o),
        LambOptions o => new Lamb(o),
        ScheduleFreeOptions o => new ScheduleFree(o),
        AveragingOptions o => new Averaging(o),
        LookaheadOptions o => new Lookahead(o),
        null => throw new ArgumentNullException(nameof(options)),
        _ => throw new ArgumentException($"options of type {options.GetType().Name} name no known optimizer.", nameof(options)),
    };

}
