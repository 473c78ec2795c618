using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Hyperparameters of the wrapper optimizers (Schedule-Free, EMA/SWA, Lookahead) over any base the kit's HyperGen draws.</summary>
static class WrapperGens
{
    /// <summary>
    /// Library defaults as bases, for the wrappers' laws: the laws are about the wrapper (the average, the synchronisation),
    /// and the kit's extreme bases (eps 5e-324, weight decay 1e300) drive weights to infinity, where 0*inf = NaN breaks
    /// any exact identity; Fast == Reference runs the wrappers over every base the kit draws.
    /// </summary>
    public static readonly Gen<IOptimizerOptions> TameBase = Gen.Elements<IOptimizerOptions>(
        new SgdOptions(), new SgdOptions { Momentum = 0.9 }, new SgdOptions { Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 },
        new AdamOptions(), new AdamWOptions(), new AdamOptions { Amsgrad = true, EpsilonMode = AdamEpsilon.PaperAlgorithm1 },
        new AdagradOptions(), new RmspropOptions { Centered = true }, new AdamaxOptions(), new NadamOptions(), new LionOptions { WeightDecay = 0.1 },
        ScheduleFreeOptions.AdamWBase);

    /// <summary>Schedule-Free over any base the kit draws (its two text-form presets among them), any b1, power and weight decay.</summary>
    public static readonly Gen<IOptimizerOptions> ScheduleFree = ScheduleFreeOver(Gen.Frequency(
        (2, Gen.Elements<IOptimizerOptions>(ScheduleFreeOptions.SgdBase, ScheduleFreeOptions.AdamWBase)), (3, HyperGen.AnyOptimizer)));

    /// <summary>Schedule-Free over <see cref="TameBase"/>.</summary>
    public static readonly Gen<IOptimizerOptions> TameScheduleFree = ScheduleFreeOver(TameBase);

    static Gen<IOptimizerOptions> ScheduleFreeOver(Gen<IOptimizerOptions> bases) =>
        from baseOptions in bases
        from b1 in HyperGen.UnitInterval
        from r in Gen.Elements(0.0, 1.0, 2.0, 2.0, 2.5)
        from wd in Gen.Elements(0.0, 0.0, 1e-4, 0.01, 0.3)
        select (IOptimizerOptions)new ScheduleFreeOptions { Base = baseOptions, Beta1 = b1, WeightLrPower = r, WeightDecay = wd };

    /// <summary>EMA (any momentum) or SWA (start 1..5, every 1..3) over any base the kit draws.</summary>
    public static readonly Gen<IOptimizerOptions> Averaging = AveragingOver(HyperGen.AnyOptimizer);

    /// <summary>EMA or SWA over <see cref="TameBase"/>.</summary>
    public static readonly Gen<IOptimizerOptions> TameAveraging = AveragingOver(TameBase);

    static Gen<IOptimizerOptions> AveragingOver(Gen<IOptimizerOptions> bases) =>
        from baseOptions in bases
        from swa in Gen.Elements(false, true)
        from m in HyperGen.UnitInterval
        from start in Gen.Choose(1, 5)
        from every in Gen.Choose(1, 3)
        select (IOptimizerOptions)(swa
            ? new AveragingOptions { Base = baseOptions, Mode = WeightAveraging.Swa, SwaStart = start, SwaEvery = every }
            : new AveragingOptions { Base = baseOptions, Mode = WeightAveraging.Ema, Momentum = m });

    /// <summary>Lookahead (k 1..6, alpha 0, 0.5, 1 or any) over any base the kit draws.</summary>
    public static readonly Gen<IOptimizerOptions> Lookahead = LookaheadOver(HyperGen.AnyOptimizer);

    /// <summary>Lookahead over <see cref="TameBase"/>.</summary>
    public static readonly Gen<IOptimizerOptions> TameLookahead = LookaheadOver(TameBase);

    static Gen<IOptimizerOptions> LookaheadOver(Gen<IOptimizerOptions> bases) =>
        from baseOptions in bases
        from k in Gen.Choose(1, 6)
        from alpha in Gen.OneOf(Gen.Elements(0.0, 0.5, 1.0), Gen.Choose(0, 1000).Select(i => i / 1000.0))
        select (IOptimizerOptions)new LookaheadOptions { Base = baseOptions, K = k, Alpha = alpha };
}
