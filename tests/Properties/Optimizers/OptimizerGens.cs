using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Optimizers;

namespace NetNumerics.Properties.Optimizers;

/// <summary>Generators for optimizer properties: every optimizer and variant with random valid hyperparameters, and inputs.</summary>
static class OptimizerGens
{
    static readonly Gen<double> Beta = Gen.OneOf(Gen.Elements(0.0, 0.5, 0.9, 0.95, 0.99, 0.999), Gen.Choose(0, 999).Select(i => i / 1000.0));
    static readonly Gen<double> Eps = Gen.Elements(1e-10, 1e-8, 1e-7, 1e-6, 1e-3, 0.1);
    static readonly Gen<double> Wd = Gen.Elements(0.0, 0.0, 1e-4, 0.01, 0.3);
    static readonly Gen<WeightDecayMode> WdMode = Gen.Elements(WeightDecayMode.L2, WeightDecayMode.Decoupled);
    static Gen<TEnum> Enum<TEnum>() where TEnum : struct, System.Enum => Gen.Elements(System.Enum.GetValues<TEnum>());

    public static readonly Gen<IOptimizerOptions> Sgd =
        from m in Gen.OneOf(Gen.Constant(0.0), Beta)
        from form in Enum<MomentumForm>()
        from nesterov in Gen.Elements(false, true)
        from damp in Gen.Elements(0.0, 0.0, 0.1, 0.5)
        from wd in Wd
        from mode in WdMode
        let nest = nesterov && m > 0
        select (IOptimizerOptions)new SgdOptions
        {
            Momentum = m, MomentumForm = form, Nesterov = nest,
            Dampening = form == MomentumForm.PyTorch && !nest ? damp : 0,
            WeightDecay = wd, WeightDecayMode = mode,
        };

    public static readonly Gen<IOptimizerOptions> Adam =
        from b1 in Beta
        from b2 in Beta
        from eps in Eps
        from ams in Gen.Elements(false, true)
        from e in Enum<AdamEpsilon>()
        from wd in Wd
        from mode in WdMode
        from w in Gen.Elements(false, true)
        select w
            ? (IOptimizerOptions)new AdamWOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Amsgrad = ams, EpsilonMode = e, WeightDecay = wd }
            : new AdamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Amsgrad = ams, EpsilonMode = e, WeightDecay = wd, WeightDecayMode = mode };

    public static readonly Gen<IOptimizerOptions> Adagrad =
        from acc in Gen.Elements(0.0, 0.1, 1.0)
        from eps in Eps
        from place in Enum<EpsilonPlacement>()
        from decay in Gen.Elements(0.0, 0.0, 0.01, 1.0)
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new AdagradOptions
        {
            InitialAccumulatorValue = acc, Epsilon = eps, EpsilonPlacement = place, LrDecay = decay, WeightDecay = wd, WeightDecayMode = mode,
        };

    public static readonly Gen<IOptimizerOptions> Adadelta =
        from rho in Beta
        from eps in Eps
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new AdadeltaOptions { Rho = rho, Epsilon = eps, WeightDecay = wd, WeightDecayMode = mode };

    public static readonly Gen<IOptimizerOptions> Rmsprop =
        from rho in Beta
        from eps in Eps
        from mom in Gen.OneOf(Gen.Constant(0.0), Beta)
        from centered in Gen.Elements(false, true)
        from place in Enum<EpsilonPlacement>()
        from form in Enum<MomentumForm>()
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new RmspropOptions
        {
            Rho = rho, Epsilon = eps, Momentum = mom, Centered = centered, EpsilonPlacement = place, MomentumForm = form,
            WeightDecay = wd, WeightDecayMode = mode,
        };

    public static readonly Gen<IOptimizerOptions> Adamax =
        from b1 in Beta
        from b2 in Beta
        from eps in Eps
        from e in Enum<AdamaxEpsilon>()
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new AdamaxOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, EpsilonMode = e, WeightDecay = wd, WeightDecayMode = mode };

    public static readonly Gen<IOptimizerOptions> Nadam =
        from b1 in Beta
        from b2 in Beta
        from eps in Eps
        from s in Enum<NadamSchedule>()
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new NadamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, Schedule = s, WeightDecay = wd, WeightDecayMode = mode };

    public static readonly Gen<IOptimizerOptions> Radam =
        from b1 in Beta
        from b2 in Gen.OneOf(Beta, Gen.Elements(0.9, 0.99))   // b2 >= ~0.6 lets rho_t pass 5 within a few steps
        from eps in Eps
        from wd in Wd
        from mode in WdMode
        select (IOptimizerOptions)new RadamOptions { Beta1 = b1, Beta2 = b2, Epsilon = eps, WeightDecay = wd, WeightDecayMode = mode };

    public static readonly Gen<IOptimizerOptions> Lion =
        from b1 in Beta
        from b2 in Beta
        from wd in Wd
        select (IOptimizerOptions)new LionOptions { Beta1 = b1, Beta2 = b2, WeightDecay = wd };

    public static readonly Gen<IOptimizerOptions> Any = Gen.OneOf(Sgd, Adam, Adagrad, Adadelta, Rmsprop, Adamax, Nadam, Radam, Lion);

    /// <summary>Schedule-Free over any base of the library (its two text-form presets among them), any b1, power and weight decay.</summary>
    public static readonly Gen<IOptimizerOptions> ScheduleFree =
        from baseOptions in Gen.Frequency((2, Gen.Elements<IOptimizerOptions>(ScheduleFreeOptions.SgdBase, ScheduleFreeOptions.AdamWBase)), (3, Any))
        from b1 in Beta
        from r in Gen.Elements(0.0, 1.0, 2.0, 2.0, 2.5)
        from wd in Wd
        select (IOptimizerOptions)new ScheduleFreeOptions { Base = baseOptions, Beta1 = b1, WeightLrPower = r, WeightDecay = wd };

    /// <summary>EMA (any momentum) or SWA (start 1..5, every 1..3) over any base of the library.</summary>
    public static readonly Gen<IOptimizerOptions> Averaging =
        from baseOptions in Any
        from swa in Gen.Elements(false, true)
        from m in Gen.OneOf(Beta, Gen.Elements(0.99, 0.999))
        from start in Gen.Choose(1, 5)
        from every in Gen.Choose(1, 3)
        select (IOptimizerOptions)(swa
            ? new AveragingOptions { Base = baseOptions, Mode = WeightAveraging.Swa, SwaStart = start, SwaEvery = every }
            : new AveragingOptions { Base = baseOptions, Mode = WeightAveraging.Ema, Momentum = m });

    /// <summary>Lookahead (k 1..6, alpha 0, 0.5, 1 or any) over any base of the library.</summary>
    public static readonly Gen<IOptimizerOptions> Lookahead =
        from baseOptions in Any
        from k in Gen.Choose(1, 6)
        from alpha in Gen.OneOf(Gen.Elements(0.0, 0.5, 1.0), Gen.Choose(0, 1000).Select(i => i / 1000.0))
        select (IOptimizerOptions)new LookaheadOptions { Base = baseOptions, K = k, Alpha = alpha };

    /// <summary>Lengths: 0, 1, around every vector width (2..16 floats per vector), and up to tens of thousands.</summary>
    public static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Elements(0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 129)),
        (4, Gen.Choose(0, 400)),
        (1, Gen.Choose(400, 30_000)));

    /// <summary>A random finite value: sign, magnitude over several decades, some exact zeros of both signs.</summary>
    public static T Value<T>(ulong seed, ulong stream, ulong index) where T : IFloatingPointIeee754<T>
    {
        ulong bits = CounterRng.Bits(seed, stream, index);
        if (bits % 23 == 0) return (bits & 0x100) == 0 ? T.Zero : T.NegativeZero;
        double u = CounterRng.Uniform(seed, stream + 1000, index) * 2 - 1;
        double scale = Math.Pow(10, (int)(bits % 7) - 3);   // 1e-3 .. 1e3
        return T.CreateTruncating(u * scale);
    }

    public static T[] Values<T>(int n, ulong seed, ulong stream) where T : IFloatingPointIeee754<T>
    {
        var a = new T[n];
        for (int i = 0; i < n; i++) a[i] = Value<T>(seed, stream, (ulong)i);
        return a;
    }

    /// <summary>Learning rate for a step: 0 sometimes, else 10^[-4, 0].</summary>
    public static double LearningRate(ulong seed, int step)
    {
        double u = CounterRng.Uniform(seed, 77, (ulong)step);
        return u < 0.05 ? 0 : Math.Pow(10, -4 + 4 * u);
    }

    public static string Show(IOptimizerOptions o) => o.ToString()!;
}
