using static NetNumerics.Optimizers.OptimizerKeys;

namespace NetNumerics.Optimizers;

/// <summary>
/// One optimizer name of the text form: its options record type, its keys in print order, its convention presets
/// (the starting record before the keys apply) and the old catalog names that stand for a preset plus a tweak.
/// </summary>
internal abstract class OptimizerFamily
{
    public abstract string Name { get; }
    public abstract Type OptionsType { get; }
    public abstract IReadOnlyList<string> KeyHelp { get; }
    public abstract IReadOnlyList<string> Presets { get; }

    /// <summary>The record: preset (or the record's defaults), then <paramref name="tweak"/>, then every key given.</summary>
    public abstract IOptimizerOptions Read(string? preset, Func<IOptimizerOptions, IOptimizerOptions> tweak, KeyValueArgs args);

    /// <summary>The keys whose value differs from the record's defaults, in print order.</summary>
    public abstract IEnumerable<(string Key, string Value)> Differences(IOptimizerOptions options);

    /// <summary>Whether this family prints <paramref name="options"/> (its record type, and for a wrapper the base it names).</summary>
    public abstract bool Prints(IOptimizerOptions options);
}

internal sealed class OptimizerFamily<T>(string name, Func<T> defaults, (string Name, Func<T> Make)[] presets, params OptimizerKey<T>[] keys)
    : OptimizerFamily where T : IOptimizerOptions
{
    /// <summary>For families that share a record type (sf-sgd, sf-adamw): which records this one prints; null = every record of type T.</summary>
    public Func<T, bool>? Takes { get; init; }

    public override bool Prints(IOptimizerOptions options) => options is T x && (Takes is null || Takes(x));

    public override string Name => name;
    public override Type OptionsType => typeof(T);
    public override IReadOnlyList<string> KeyHelp => keys.Select(k => k.Help).ToArray();
    public override IReadOnlyList<string> Presets => presets.Select(p => p.Name).ToArray();

    public override IOptimizerOptions Read(string? preset, Func<IOptimizerOptions, IOptimizerOptions> tweak, KeyValueArgs args)
    {
        T x = preset is null ? defaults() : presets.Single(p => p.Name == preset).Make();
        x = (T)tweak(x);
        foreach (var k in keys) x = k.Read(x, args);
        return x;
    }

    public override IEnumerable<(string Key, string Value)> Differences(IOptimizerOptions options)
    {
        T x = (T)options, d = defaults();
        foreach (var k in keys)
            if (k.Show(x) != k.Show(d)) yield return (k.Name, k.Show(x));
    }
}

/// <summary>
/// The table of optimizer names, keys and presets. Presets: <c>keras</c> = the records' defaults (Keras 3 forms);
/// <c>keras2</c> = Keras 2.0.8's defaults (keras/optimizers.py at tag 2.0.8, the release of the seed articles,
/// which print e.g. <c>Adadelta(lr=1.0, rho=0.95, epsilon=1e-08)</c>): epsilon 1e-8, accumulators from 0, epsilon
/// outside the square root in Adagrad and RMSprop; <c>pytorch</c> = torch.optim's defaults, forms and operation order
/// (the records' <c>PyTorch</c> presets; <c>order=pytorch-fused</c> for torch's native kernels). The learning
/// rate is never part of the options (it is --lr or the schedule's); each preset's default rate is in the help.
/// </summary>
internal static class OptimizerFamilies
{
    static readonly OptimizerFamily<SgdOptions> Sgd = new("sgd", () => new SgdOptions(),
        [("keras", () => new SgdOptions()), ("keras2", () => new SgdOptions()), ("pytorch", () => SgdOptions.PyTorch)],
        Number<SgdOptions>("momentum", UnitInterval, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Flag<SgdOptions>("nesterov", o => o.Nesterov, (o, v) => o with { Nesterov = v }),
        Number<SgdOptions>("dampening", UnitInterval, o => o.Dampening, (o, v) => o with { Dampening = v }),
        MomentumForm<SgdOptions>(o => o.MomentumForm, (o, v) => o with { MomentumForm = v }),
        WeightDecay<SgdOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<SgdOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<SgdOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<SgdOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly OptimizerFamily<AdagradOptions> Adagrad = new("adagrad", () => new AdagradOptions(),
        [("keras", () => new AdagradOptions()),
         ("keras2", () => new AdagradOptions { InitialAccumulatorValue = 0, Epsilon = 1e-8, EpsilonPlacement = EpsilonPlacement.OutsideSqrt }),
         ("pytorch", () => AdagradOptions.PyTorch)],
        Number<AdagradOptions>("initial_accumulator", NonNegative, o => o.InitialAccumulatorValue, (o, v) => o with { InitialAccumulatorValue = v }),
        Eps<AdagradOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        EpsPlacement<AdagradOptions>(o => o.EpsilonPlacement, (o, v) => o with { EpsilonPlacement = v }),
        Number<AdagradOptions>("lr_decay", NonNegative, o => o.LrDecay, (o, v) => o with { LrDecay = v }),
        WeightDecay<AdagradOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<AdagradOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<AdagradOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<AdagradOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }),
        Flag<AdagradOptions>("foreach", o => o.TorchPath == TorchPath.Foreach, (o, v) => o with { TorchPath = v ? TorchPath.Foreach : TorchPath.SingleTensor }));

    static readonly OptimizerFamily<AdadeltaOptions> Adadelta = new("adadelta", () => new AdadeltaOptions(),
        [("keras", () => new AdadeltaOptions()), ("keras2", () => new AdadeltaOptions { Epsilon = 1e-8 }),
         ("pytorch", () => AdadeltaOptions.PyTorch)],
        Number<AdadeltaOptions>("rho", UnitInterval, o => o.Rho, (o, v) => o with { Rho = v }),
        Eps<AdadeltaOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        WeightDecay<AdadeltaOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<AdadeltaOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<AdadeltaOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<AdadeltaOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly OptimizerFamily<RmspropOptions> Rmsprop = new("rmsprop", () => new RmspropOptions(),
        [("keras", () => new RmspropOptions()), ("keras2", () => new RmspropOptions { Epsilon = 1e-8, EpsilonPlacement = EpsilonPlacement.OutsideSqrt }),
         ("pytorch", () => RmspropOptions.PyTorch)],
        Number<RmspropOptions>("rho", UnitInterval, o => o.Rho, (o, v) => o with { Rho = v }),
        Number<RmspropOptions>("momentum", UnitInterval, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Flag<RmspropOptions>("centered", o => o.Centered, (o, v) => o with { Centered = v }),
        Eps<RmspropOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        EpsPlacement<RmspropOptions>(o => o.EpsilonPlacement, (o, v) => o with { EpsilonPlacement = v }),
        MomentumForm<RmspropOptions>(o => o.MomentumForm, (o, v) => o with { MomentumForm = v }),
        WeightDecay<RmspropOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<RmspropOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<RmspropOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<RmspropOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly (string, AdamEpsilon)[] AdamEps = [("keras", AdamEpsilon.KerasEpsilonHat), ("paper", AdamEpsilon.PaperAlgorithm1)];

    static readonly OptimizerFamily<AdamOptions> Adam = new("adam", () => new AdamOptions(),
        [("keras", () => new AdamOptions()), ("keras2", () => new AdamOptions { Epsilon = 1e-8 }),
         ("pytorch", () => AdamOptions.PyTorch)],
        Beta1<AdamOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<AdamOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<AdamOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        Flag<AdamOptions>("amsgrad", o => o.Amsgrad, (o, v) => o with { Amsgrad = v }),
        Choice<AdamOptions, AdamEpsilon>("eps_mode", o => o.EpsilonMode, (o, v) => o with { EpsilonMode = v }, AdamEps),
        WeightDecay<AdamOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<AdamOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<AdamOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<AdamOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly OptimizerFamily<AdamWOptions> AdamW = new("adamw", () => new AdamWOptions(),
        [("keras", () => new AdamWOptions()),
         ("pytorch", () => AdamWOptions.PyTorch)],
        Beta1<AdamWOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<AdamWOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<AdamWOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        Flag<AdamWOptions>("amsgrad", o => o.Amsgrad, (o, v) => o with { Amsgrad = v }),
        Choice<AdamWOptions, AdamEpsilon>("eps_mode", o => o.EpsilonMode, (o, v) => o with { EpsilonMode = v }, AdamEps),
        WeightDecay<AdamWOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        TorchOrder<AdamWOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<AdamWOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly OptimizerFamily<AdamaxOptions> Adamax = new("adamax", () => new AdamaxOptions(),
        [("keras", () => new AdamaxOptions()), ("keras2", () => new AdamaxOptions { Epsilon = 1e-8 }),
         ("pytorch", () => AdamaxOptions.PyTorch)],
        Beta1<AdamaxOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<AdamaxOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<AdamaxOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        Choice<AdamaxOptions, AdamaxEpsilon>("eps_mode", o => o.EpsilonMode, (o, v) => o with { EpsilonMode = v },
            ("keras", AdamaxEpsilon.KerasOutsideMax), ("pytorch", AdamaxEpsilon.PyTorchInsideMax)),
        WeightDecay<AdamaxOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<AdamaxOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<AdamaxOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<AdamaxOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    static readonly OptimizerFamily<NadamOptions> Nadam = new("nadam", () => new NadamOptions(),
        [("keras", () => new NadamOptions { Schedule = NadamSchedule.Keras3 }), ("keras2", () => new NadamOptions { Epsilon = 1e-8 }),
         ("pytorch", () => NadamOptions.PyTorch)],
        Beta1<NadamOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<NadamOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<NadamOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        Choice<NadamOptions, NadamSchedule>("momentum_schedule", o => o.Schedule, (o, v) => o with { Schedule = v },
            ("keras2", NadamSchedule.Keras2PyTorch), ("keras3", NadamSchedule.Keras3)),
        WeightDecay<NadamOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<NadamOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<NadamOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<NadamOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }),
        Flag<NadamOptions>("foreach", o => o.TorchPath == TorchPath.Foreach, (o, v) => o with { TorchPath = v ? TorchPath.Foreach : TorchPath.SingleTensor }),
        new OptimizerKey<NadamOptions>("momentum_decay", NonNegative, o => o.MomentumDecayIsSet ? Schedules.ScheduleText.Num(o.MomentumDecay) : "",
            (o, a) => a.Has("momentum_decay") ? Number<NadamOptions>("momentum_decay", NonNegative, x => x.MomentumDecay, (x, v) => x with { MomentumDecay = v }).Read(o, a) : o));

    static readonly OptimizerFamily<RadamOptions> Radam = new("radam", () => new RadamOptions(),
        [("pytorch", () => RadamOptions.PyTorch)],
        Beta1<RadamOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<RadamOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<RadamOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        WeightDecay<RadamOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        WeightDecayMode<RadamOptions>(o => o.WeightDecayMode, (o, v) => o with { WeightDecayMode = v }),
        TorchOrder<RadamOptions>(o => o.Order, (o, v) => o with { Order = v }),
        Flag<RadamOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }),
        Flag<RadamOptions>("foreach", o => o.TorchPath == TorchPath.Foreach, (o, v) => o with { TorchPath = v ? TorchPath.Foreach : TorchPath.SingleTensor }));

    static readonly OptimizerFamily<LionOptions> Lion = new("lion", () => new LionOptions(),
        [("keras", () => new LionOptions())],   // Keras 3 and Optax share the defaults; torch core has no Lion
        Beta1<LionOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<LionOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        WeightDecay<LionOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }));

    // Adafactor as torch.optim.Adafactor names its arguments (eps = (eps1, eps2); eps1 unset = the element type's machine epsilon).
    static readonly OptimizerFamily<AdafactorOptions> Adafactor = new("adafactor", () => new AdafactorOptions(),
        [("pytorch", () => new AdafactorOptions())],
        Number<AdafactorOptions>("beta2_decay", "a number <= 0", o => o.Beta2Decay, (o, v) => o with { Beta2Decay = v }),
        new OptimizerKey<AdafactorOptions>("eps1", NonNegative, o => o.Epsilon1 is { } e ? Schedules.ScheduleText.Num(e) : "",
            (o, a) => a.Has("eps1") ? Number<AdafactorOptions>("eps1", NonNegative, x => x.Epsilon1 ?? 0, (x, v) => x with { Epsilon1 = v }).Read(o, a) : o),
        Number<AdafactorOptions>("eps2", NonNegative, o => o.Epsilon2, (o, v) => o with { Epsilon2 = v }),
        Number<AdafactorOptions>("d", "a number >= 1", o => o.ClipThreshold, (o, v) => o with { ClipThreshold = v }),
        WeightDecay<AdafactorOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Flag<AdafactorOptions>("maximize", o => o.Maximize, (o, v) => o with { Maximize = v }));

    // Muon as torch.optim.Muon names its arguments; adamw_* are the fallback AdamW's (tensors of rank other than 2 and 4).
    static readonly OptimizerFamily<MuonOptions> Muon = new("muon", () => new MuonOptions(),
        [("pytorch", () => new MuonOptions())],
        Number<MuonOptions>("momentum", UnitInterval, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Flag<MuonOptions>("nesterov", o => o.Nesterov, (o, v) => o with { Nesterov = v }),
        WeightDecay<MuonOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Number<MuonOptions>("ns_steps", "an integer in [0, 99]", o => o.NsSteps,
            (o, v) => v == Math.Floor(v) && v is >= 0 and < 100 ? o with { NsSteps = (int)v } : throw new ArgumentOutOfRangeException(nameof(v))),
        Eps<MuonOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        Choice<MuonOptions, MuonLrAdjustment>("adjust_lr", o => o.LrAdjustment, (o, v) => o with { LrAdjustment = v },
            ("original", MuonLrAdjustment.Original), ("match_rms_adamw", MuonLrAdjustment.MatchRmsAdamW)),
        Number<MuonOptions>("adamw_beta1", UnitInterval, o => o.Fallback.Beta1, (o, v) => o with { Fallback = o.Fallback with { Beta1 = v } }),
        Number<MuonOptions>("adamw_beta2", UnitInterval, o => o.Fallback.Beta2, (o, v) => o with { Fallback = o.Fallback with { Beta2 = v } }),
        Number<MuonOptions>("adamw_eps", Positive, o => o.Fallback.Epsilon, (o, v) => o with { Fallback = o.Fallback with { Epsilon = v } }),
        Number<MuonOptions>("adamw_weight_decay", NonNegative, o => o.Fallback.WeightDecay, (o, v) => o with { Fallback = o.Fallback with { WeightDecay = v } }),
        Number<MuonOptions>("adamw_lr_scale", NonNegative, o => o.FallbackLrScale, (o, v) => o with { FallbackLrScale = v }));
    static readonly OptimizerFamily<LambOptions> Lamb = new("lamb", () => new LambOptions(),
        [("optax", () => new LambOptions())],   // Optax's lamb; apex/timm differ beyond these keys (see LambOptions)
        Beta1<LambOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<LambOptions>(o => o.Beta2, (o, v) => o with { Beta2 = v }),
        Eps<LambOptions>(o => o.Epsilon, (o, v) => o with { Epsilon = v }),
        WeightDecay<LambOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Flag<LambOptions>("bias_correction", o => o.BiasCorrection, (o, v) => o with { BiasCorrection = v }),
        Flag<LambOptions>("trust_clip", o => o.TrustClip, (o, v) => o with { TrustClip = v }));

    // Schedule-Free (Optax contrib.schedule_free_sgd / schedule_free_adamw): one record, two names by base. Keys of
    // the base (beta2, eps) are read into and shown from the base record; any other base has no text form.
    static readonly OptimizerFamily<ScheduleFreeOptions> ScheduleFreeSgd = new("sf-sgd", () => ScheduleFreeOptions.Sgd,
        [("optax", () => ScheduleFreeOptions.Sgd)],
        Beta1<ScheduleFreeOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Number<ScheduleFreeOptions>("weight_lr_power", NonNegative, o => o.WeightLrPower, (o, v) => o with { WeightLrPower = v }),
        WeightDecay<ScheduleFreeOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }))
    { Takes = o => o.Base is SgdOptions s && s == ScheduleFreeOptions.SgdBase };

    static AdamOptions SfAdam(ScheduleFreeOptions o) => (AdamOptions)o.Base;

    static readonly OptimizerFamily<ScheduleFreeOptions> ScheduleFreeAdamW = new("sf-adamw", () => ScheduleFreeOptions.AdamW,
        [("optax", () => ScheduleFreeOptions.AdamW)],
        Beta1<ScheduleFreeOptions>(o => o.Beta1, (o, v) => o with { Beta1 = v }),
        Beta2<ScheduleFreeOptions>(o => SfAdam(o).Beta2, (o, v) => o with { Base = SfAdam(o) with { Beta2 = v } }),
        Eps<ScheduleFreeOptions>(o => SfAdam(o).Epsilon, (o, v) => o with { Base = SfAdam(o) with { Epsilon = v } }),
        Number<ScheduleFreeOptions>("weight_lr_power", NonNegative, o => o.WeightLrPower, (o, v) => o with { WeightLrPower = v }),
        WeightDecay<ScheduleFreeOptions>(o => o.WeightDecay, (o, v) => o with { WeightDecay = v }))
    {
        Takes = o => o.Base is AdamOptions a
            && a with { Beta2 = ScheduleFreeOptions.AdamWBase.Beta2, Epsilon = ScheduleFreeOptions.AdamWBase.Epsilon } == ScheduleFreeOptions.AdamWBase,
    };

    public static IReadOnlyList<OptimizerFamily> All { get; } = [Sgd, Adagrad, Adadelta, Rmsprop, Adam, AdamW, Adamax, Nadam, Radam, Lion, Lamb, Adafactor, Muon, ScheduleFreeSgd, ScheduleFreeAdamW];

    /// <summary>The names of the CLI's first catalog, kept so old checkpoints and suite files still read: a family and a tweak.</summary>
    public static IReadOnlyList<(string Alias, OptimizerFamily Family, Func<IOptimizerOptions, IOptimizerOptions> Tweak)> Aliases { get; } =
    [
        ("sgd-momentum", Sgd, o => (SgdOptions)o with { Momentum = 0.9 }),
        ("sgd-nesterov", Sgd, o => (SgdOptions)o with { Momentum = 0.9, Nesterov = true }),
        ("rmsprop-centered", Rmsprop, o => (RmspropOptions)o with { Centered = true }),
        ("amsgrad", Adam, o => (AdamOptions)o with { Amsgrad = true }),
    ];

    /// <summary>Default learning rate of each preset (Keras 3, Keras 2.0.8, PyTorch), shown in the help only.</summary>
    public static IReadOnlyDictionary<string, string> PresetRates { get; } = new Dictionary<string, string>
    {
        ["sgd"] = "keras 0.01, keras2 0.01, pytorch 1e-3", ["adagrad"] = "keras 1e-3, keras2 0.01, pytorch 0.01",
        ["adadelta"] = "keras 1e-3, keras2 1.0, pytorch 1.0", ["rmsprop"] = "keras 1e-3, keras2 1e-3, pytorch 0.01",
        ["adam"] = "keras 1e-3, keras2 1e-3, pytorch 1e-3", ["adamw"] = "keras 1e-3, pytorch 1e-3",
        ["adamax"] = "keras 1e-3, keras2 2e-3, pytorch 2e-3", ["nadam"] = "keras 1e-3, keras2 2e-3, pytorch 2e-3",
        ["radam"] = "pytorch 1e-3", ["lion"] = "keras 1e-3 (the paper: 3-10x below AdamW's)",
        ["adafactor"] = "pytorch 1e-2 (the largest relative step)", ["muon"] = "pytorch 1e-3 (Keller Jordan's runs: 0.02, with the AdamW fallback's scaled by adamw_lr_scale)",
        ["lamb"] = "optax none (apex and timm 1e-3; the paper tunes it with the batch size)",
        ["sf-sgd"] = "optax 1.0 (with a warm-up schedule)", ["sf-adamw"] = "optax 0.0025 (with a warm-up schedule)",
    };
}
