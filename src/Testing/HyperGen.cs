using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;

namespace NetNumerics.Testing;

/// <summary>
/// Generators of hyperparameters inside the ranges the option records accept, with the values at the ends of
/// each range (0, numbers next to 1, the tiniest and largest finite) drawn often, and of whole option records
/// for every optimizer and variant.
/// </summary>
public static class HyperGen
{
    static Gen<double> LogUniform(double lo, double hi) =>
        from a in Gen.Choose(0, 1 << 30)
        select Math.Pow(10, lo + (hi - lo) * (a / (double)(1 << 30)));

    /// <summary>Betas, rho, momentum: [0, 1): common values, uniform, and the edge values 0 and 1 - 2^-k.</summary>
    public static Gen<double> UnitInterval { get; } = Gen.Frequency(
        (4, Gen.Elements(0.0, 0.5, 0.9, 0.95, 0.99, 0.999)),
        (4, Gen.Choose(0, 999).Select(i => i / 1000.0)),
        (1, Gen.Elements(1 - Math.ScaleB(1, -24), 1 - Math.ScaleB(1, -53), Math.ScaleB(1, -60))));

    /// <summary>Epsilon and other strictly positive finite constants: log-uniform in [1e-12, 1] plus the extremes (5e-324, 1e-300, 1e300).</summary>
    public static Gen<double> Positive { get; } = Gen.Frequency(
        (6, Gen.Elements(1e-10, 1e-8, 1e-7, 1e-6, 1e-3, 0.1)),
        (3, LogUniform(-12, 0)),
        (1, Gen.Elements(double.Epsilon, 1e-300, 1e-40, 1e300)));

    /// <summary>Weight decay and other non-negative finite constants: 0 often, typical values, and the extremes.</summary>
    public static Gen<double> NonNegative { get; } = Gen.Frequency(
        (4, Gen.Constant(0.0)),
        (4, Gen.Elements(1e-4, 0.01, 0.3)),
        (1, Gen.Elements(double.Epsilon, 1e-300, 10.0, 1e300)));

    /// <summary>A learning rate for one step: 0 sometimes, log-uniform in [1e-4, 1] mostly, and rarely tiny or huge (1e-300, 1e30).</summary>
    public static Gen<double> LearningRate { get; } = Gen.Frequency(
        (1, Gen.Constant(0.0)),
        (17, LogUniform(-4, 0)),
        (2, Gen.Elements(1e-300, 1e-45, 1e30, 1e300)));

    static Gen<TEnum> Enum<TEnum>() where TEnum : struct, System.Enum => Gen.Elements(System.Enum.GetValues<TEnum>());
    static readonly Gen<WeightDecayMode> WdMode = Enum<WeightDecayMode>();

    /// <summary>SGD: plain, momentum (Keras or PyTorch form), Nesterov, dampening, weight decay of either mode.</summary>
    public static Gen<IOptimizerOptions> Sgd { get; } =
        from m in Gen.OneOf(Gen.Constant(0.0), UnitInterval)
        from form in Enum<MomentumForm>()
        from nesterov in Gen.Elements(false, true)
        from damp in Gen.Elements(0.0, 0.0, 0.1, 0.5)
        from wd in NonNegative
        from mode in WdMode
        let nest = nesterov && m > 0
        select (IOptimizerOptions)new SgdOptions
        {
            Momentum = m, MomentumForm = form, Nesterov = nest,
            Dampening = form == MomentumForm.PyTorch && !nest ? damp : 0,
            WeightDecay = wd, WeightDecayMode = mode,
        };

    /// <summary>Adam, AMSGrad and AdamW with either epsilon placement.</summary>
    public static Gen<IOptimizerOptions> Adam { get; } =
        from b1 in UnitInterval
        from b2 in UnitInterval
        from eps in Positive
        from ams in Gen.Elements(false, true)
        from e in Enum<AdamEpsilon>()
        from wd in NonNegative
        from mode in WdMode
        from w in Gen.Elements(false, true)
        select w
            ? (IOptimizerOptions)new AdamWOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Amsgrad = ams, EpsilonMode = e, WeightDecay = wd }
            : new AdamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Amsgrad = ams, EpsilonMode = e, WeightDecay = wd, WeightDecayMode = mode };

    /// <summary>Adagrad with either epsilon placement, initial accumulator and lr decay.</summary>
    public static Gen<IOptimizerOptions> Adagrad { get; } =
        from acc in Gen.Elements(0.0, 0.1, 1.0)
        from eps in Positive
        from place in Enum<EpsilonPlacement>()
        from decay in Gen.Elements(0.0, 0.0, 0.01, 1.0)
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new AdagradOptions
        {
            InitialAccumulatorValue = acc, Epsilon = eps, EpsilonPlacement = place, LrDecay = decay, WeightDecay = wd, WeightDecayMode = mode,
        };

    /// <summary>Adadelta.</summary>
    public static Gen<IOptimizerOptions> Adadelta { get; } =
        from rho in UnitInterval
        from eps in Positive
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new AdadeltaOptions { Rho = rho, Epsilon = eps, WeightDecay = wd, WeightDecayMode = mode };

    /// <summary>RMSprop: plain, centered, momentum of either form, either epsilon placement.</summary>
    public static Gen<IOptimizerOptions> Rmsprop { get; } =
        from rho in UnitInterval
        from eps in Positive
        from mom in Gen.OneOf(Gen.Constant(0.0), UnitInterval)
        from centered in Gen.Elements(false, true)
        from place in Enum<EpsilonPlacement>()
        from form in Enum<MomentumForm>()
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new RmspropOptions
        {
            Rho = rho, Epsilon = eps, Momentum = mom, Centered = centered, EpsilonPlacement = place, MomentumForm = form,
            WeightDecay = wd, WeightDecayMode = mode,
        };

    /// <summary>AdaMax with either epsilon placement.</summary>
    public static Gen<IOptimizerOptions> Adamax { get; } =
        from b1 in UnitInterval
        from b2 in UnitInterval
        from eps in Positive
        from e in Enum<AdamaxEpsilon>()
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new AdamaxOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, EpsilonMode = e, WeightDecay = wd, WeightDecayMode = mode };

    /// <summary>Nadam with every momentum schedule.</summary>
    public static Gen<IOptimizerOptions> Nadam { get; } =
        from b1 in UnitInterval
        from b2 in UnitInterval
        from eps in Positive
        from s in Enum<NadamSchedule>()
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new NadamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Schedule = s, WeightDecay = wd, WeightDecayMode = mode };

    /// <summary>RAdam (beta2 of 0.9 and 0.99 often, so the rectified branch is reached within a few steps).</summary>
    public static Gen<IOptimizerOptions> Radam { get; } =
        from b1 in UnitInterval
        from b2 in Gen.OneOf(UnitInterval, Gen.Elements(0.9, 0.99))
        from eps in Positive
        from wd in NonNegative
        from mode in WdMode
        select (IOptimizerOptions)new RadamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, WeightDecay = wd, WeightDecayMode = mode };

    /// <summary>Lion (two betas, decoupled weight decay).</summary>
    public static Gen<IOptimizerOptions> Lion { get; } =
        from b1 in UnitInterval
        from b2 in UnitInterval
        from wd in NonNegative
        select (IOptimizerOptions)new LionOptions { Beta1 = b1, Beta2 = b2, WeightDecay = wd };

    /// <summary>
    /// Adafactor (beta2_decay in [-2, 0] with torch's -0.8 and 0 often, eps1 unset half the time, d in [1, 4]). Shape-aware:
    /// not in <see cref="AnyOptimizer"/>, whose draws are initialized by length and proved element-wise.
    /// </summary>
    public static Gen<IOptimizerOptions> Adafactor { get; } =
        from decay in Gen.Frequency((2, Gen.Elements(-0.8, 0.0, -1.0)), (3, Gen.Choose(0, 2000).Select(k => -k / 1000.0)))
        from eps1 in Gen.Frequency((1, Gen.Constant<double?>(null)), (1, NonNegative.Select(e => (double?)e)))
        from eps2 in NonNegative
        from d in Gen.Frequency((1, Gen.Constant(1.0)), (1, Gen.Choose(1000, 4000).Select(k => k / 1000.0)))
        from wd in NonNegative
        from maximize in Gen.Elements(false, true)
        select (IOptimizerOptions)new AdafactorOptions { Beta2Decay = decay, Epsilon1 = eps1, Epsilon2 = eps2, ClipThreshold = d, WeightDecay = wd, Maximize = maximize };

    /// <summary>
    /// Muon (momentum in [0, 1) with torch's 0.95 often, Nesterov or not, 0-6 Newton-Schulz steps, both learning-rate
    /// adjustments, torch's coefficients). Shape-aware and for matrices only: not in <see cref="AnyOptimizer"/>.
    /// </summary>
    public static Gen<IOptimizerOptions> Muon { get; } =
        from momentum in Gen.Frequency((1, Gen.Constant(0.95)), (2, UnitInterval))
        from nesterov in Gen.Elements(true, false)
        from wd in NonNegative
        from steps in Gen.Frequency((2, Gen.Constant(5)), (1, Gen.Choose(0, 6)))
        from adjust in Gen.Elements(MuonLrAdjustment.Original, MuonLrAdjustment.MatchRmsAdamW)
        select (IOptimizerOptions)new MuonOptions { Momentum = momentum, Nesterov = nesterov, WeightDecay = wd, NsSteps = steps, LrAdjustment = adjust };

    /// <summary>Any optimizer and variant.</summary>
    public static Gen<IOptimizerOptions> AnyOptimizer { get; } = Gen.OneOf(Sgd, Adam, Adagrad, Adadelta, Rmsprop, Adamax, Nadam, Radam, Lion);
}
