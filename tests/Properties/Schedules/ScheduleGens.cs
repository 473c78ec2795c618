using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Schedules;

namespace NetNumerics.Properties.Schedules;

/// <summary>Generators of valid schedule records with random hyperparameters, and of step ranges.</summary>
public static class ScheduleGens
{
    /// <summary>Uniform in [lo, hi] with a full 53-bit random mantissa (no NaN, no infinities).</summary>
    public static Gen<double> Uniform(double lo, double hi) =>
        from a in Gen.Choose(0, (1 << 26) - 1)
        from b in Gen.Choose(0, (1 << 27) - 1)
        select lo + (hi - lo) * (((ulong)(uint)a << 27 | (uint)b) * (1.0 / (1L << 53)));

    /// <summary>Log-uniform in [10^lo, 10^hi].</summary>
    public static Gen<double> LogUniform(double lo, double hi) => Uniform(lo, hi).Select(e => Math.Pow(10, e));

    static readonly AsyncLocal<Gen<double>?> RateOverride = new();

    /// <summary>Learning rates: log-uniform in [1e-6, 1], or the ones of the enclosing <see cref="UseLearningRates"/> scope.</summary>
    public static Gen<double> LearningRate => RateOverride.Value ?? LogUniform(-6, 0);

    /// <summary>
    /// Every schedule generator built and run until the scope is disposed draws its learning rates from
    /// <paramref name="rates"/> (open it around the whole property check: generators draw lazily).
    /// </summary>
    public static IDisposable UseLearningRates(Gen<double> rates)
    {
        var previous = RateOverride.Value;
        RateOverride.Value = rates;
        return new Restore(() => RateOverride.Value = previous);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    public static Gen<long> Long(long lo, long hi) =>
        from a in Gen.Choose(0, (1 << 30) - 1)
        from b in Gen.Choose(0, (1 << 30) - 1)
        select lo + (long)(((ulong)(uint)a << 30 | (uint)b) % (ulong)(hi - lo + 1));

    public static Gen<bool> Bool => Gen.Elements(false, true);

    public static Gen<ConstantLearningRate> Constant =>
        LearningRate.Select(lr => new ConstantLearningRate { LearningRate = lr });

    public static Gen<TimeBasedDecay> TimeBased =>
        from lr in LearningRate from k in Gen.OneOf(Gen.Constant(0.0), LogUniform(-6, 0))
        select new TimeBasedDecay { InitialLearningRate = lr, DecayRate = k };

    public static Gen<CumulativeTimeDecay> CumulativeTime =>
        from lr in LearningRate from d in LogUniform(-5, -0.5)
        select new CumulativeTimeDecay { InitialLearningRate = lr, Decay = d };

    public static Gen<StepDecay> Step =>
        from lr in LearningRate from drop in Gen.OneOf(Gen.Constant(1.0), Uniform(0.01, 0.999))
        from every in Long(1, 50) from form in Gen.Elements(StepDecayForm.Epoch, StepDecayForm.EpochPlusOne)
        select new StepDecay { InitialLearningRate = lr, Drop = drop, EpochsDrop = every, Form = form };

    public static Gen<NaturalExponentialDecay> NaturalExp =>
        from lr in LearningRate from k in LogUniform(-6, -1)
        select new NaturalExponentialDecay { InitialLearningRate = lr, DecayRate = k };

    public static Gen<ExponentialDecay> Exponential =>
        from lr in LearningRate from steps in Long(1, 1000) from rate in Uniform(0.01, 1.5) from stair in Bool
        select new ExponentialDecay { InitialLearningRate = lr, DecaySteps = steps, DecayRate = rate, Staircase = stair };

    public static Gen<ExponentialLR> ExponentialLr =>
        from lr in LearningRate from g in Uniform(0.9, 1.0)
        select new ExponentialLR { InitialLearningRate = lr, Gamma = g };

    public static Gen<LinearDecay> Linear =>
        from lr in LearningRate from steps in Long(1, 5000) from end in Gen.OneOf(Gen.Constant(0.0), LearningRate)
        select new LinearDecay { InitialLearningRate = lr, DecaySteps = steps, EndLearningRate = end };

    public static Gen<InverseTimeDecay> InverseTime =>
        from lr in LearningRate from steps in Long(1, 1000) from rate in Uniform(0, 5) from stair in Bool
        select new InverseTimeDecay { InitialLearningRate = lr, DecaySteps = steps, DecayRate = rate, Staircase = stair };

    public static Gen<PolynomialDecay> Polynomial =>
        from lr in LearningRate from steps in Long(1, 2000) from end in Gen.OneOf(Gen.Constant(0.0), LearningRate)
        from power in Uniform(0.1, 5) from cycle in Bool
        select new PolynomialDecay { InitialLearningRate = lr, DecaySteps = steps, EndLearningRate = end, Power = power, Cycle = cycle };

    public static Gen<PiecewiseConstantDecay> Piecewise =>
        from n in Gen.Choose(0, 6)
        from gaps in Long(1, 200).ArrayOf(n)
        from values in LearningRate.ArrayOf(n + 1)
        let boundaries = gaps.Select((g, i) => gaps.Take(i + 1).Sum() - 1).ToArray()
        select new PiecewiseConstantDecay { Boundaries = boundaries, Values = values };

    public static Gen<MultiStepDecay> MultiStep =>
        from lr in LearningRate from n in Gen.Choose(0, 6) from ms in Long(1, 400).ArrayOf(n)
        from dup in Bool from g in Uniform(0.05, 1.0)
        select new MultiStepDecay { InitialLearningRate = lr, Milestones = dup && n > 0 ? ms.Append(ms[0]).ToArray() : ms, Gamma = g };

    public static Gen<CosineDecay> Cosine =>
        from lr in LearningRate from steps in Long(1, 5000) from alpha in Gen.OneOf(Gen.Constant(0.0), Uniform(0, 0.999))
        from warm in Bool from target in LearningRate from wsteps in Long(0, 500)
        select warm
            ? new CosineDecay { InitialLearningRate = lr, DecaySteps = steps, Alpha = alpha, WarmupTarget = target, WarmupSteps = wsteps }
            : new CosineDecay { InitialLearningRate = lr, DecaySteps = steps, Alpha = alpha };

    public static Gen<CosineAnnealing> CosineAnnealing =>
        from lr in LearningRate from tmax in Long(1, 2000) from minFrac in Gen.OneOf(Gen.Constant(0.0), Uniform(0, 0.5))
        select new CosineAnnealing { InitialLearningRate = lr, TMax = tmax, MinLearningRate = lr * minFrac };

    public static Gen<CosineWarmRestarts> Sgdr =>
        from lr in LearningRate from t0 in Long(1, 50) from mult in Long(1, 3) from m in Gen.OneOf(Gen.Constant(1.0), Uniform(0.3, 1.0))
        from minFrac in Gen.OneOf(Gen.Constant(0.0), Uniform(0, 0.5))
        select new CosineWarmRestarts { InitialLearningRate = lr, FirstPeriod = t0, PeriodMultiplier = mult, AmplitudeMultiplier = m, MinLearningRate = lr * minFrac };

    public static Gen<LinearWarmup> Warmup =>
        from start in Gen.OneOf(Gen.Constant(0.0), LearningRate) from target in LearningRate from steps in Long(1, 2000)
        select new LinearWarmup { InitialLearningRate = start, TargetLearningRate = target, WarmupSteps = steps };

    static bool Valid(OneCycle o)
    {
        try { o.Validate(); return true; } catch (ArgumentException) { return false; }
    }

    public static Gen<OneCycle> OneCycle =>
        (from lr in LearningRate from total in Long(4, 5000) from pct in Uniform(0.02, 0.95)
         from anneal in Gen.Elements(AnnealStrategy.Cos, AnnealStrategy.Linear)
         from div in Uniform(1, 100) from fdiv in LogUniform(0, 5) from three in Bool
         select new OneCycle { MaxLearningRate = lr, TotalSteps = total, PctStart = pct, Anneal = anneal, DivFactor = div, FinalDivFactor = fdiv, ThreePhase = three })
        .Where(Valid);

    public static Gen<CyclicalLearningRate> Cyclical =>
        from lo in LearningRate from ratio in Uniform(1, 10) from s in Long(1, 500)
        from mode in Gen.Elements(CyclicalMode.Triangular, CyclicalMode.Triangular2, CyclicalMode.ExpRange)
        from gamma in Uniform(0.99, 1.0)
        select new CyclicalLearningRate { BaseLearningRate = lo, MaxLearningRate = lo * ratio, StepSize = s, Mode = mode, Gamma = gamma };

    /// <summary>WSD with every phase length from 0 (warm-up, stable) or 1 (decay) up, both cooldown forms, min 0, a fraction of lr, or lr.</summary>
    public static Gen<WarmupStableDecay> Wsd =>
        from lr in LearningRate from w in Gen.OneOf(Gen.Constant(0L), Long(1, 300)) from s in Gen.OneOf(Gen.Constant(0L), Long(1, 500))
        from d in Gen.OneOf(Gen.Constant(1L), Long(1, 500)) from form in Gen.Elements(CooldownForm.OneMinusSqrt, CooldownForm.Linear)
        from minFrac in Gen.OneOf(Gen.Constant(0.0), Gen.Constant(1.0), Uniform(0, 1))
        select new WarmupStableDecay { LearningRate = lr, WarmupSteps = w, StableSteps = s, DecaySteps = d, Form = form, MinLearningRate = Math.Min(lr, lr * minFrac) };

    public static Gen<InverseSqrtDecay> InverseSqrt =>
        from lr in LearningRate from w in Gen.OneOf(Gen.Constant(1L), Long(1, 5000))
        select new InverseSqrtDecay { LearningRate = lr, WarmupSteps = w };

    /// <summary>Closed-form schedules whose Fast range fill must reproduce the Reference bit for bit.</summary>
    public static Gen<ISchedule> AnyClosedForm => Gen.OneOf(
        Constant.Select(s => (ISchedule)s), TimeBased.Select(s => (ISchedule)s), Step.Select(s => (ISchedule)s),
        NaturalExp.Select(s => (ISchedule)s), Exponential.Select(s => (ISchedule)s), Linear.Select(s => (ISchedule)s),
        InverseTime.Select(s => (ISchedule)s), Polynomial.Select(s => (ISchedule)s), Piecewise.Select(s => (ISchedule)s),
        Cosine.Select(s => (ISchedule)s), Warmup.Select(s => (ISchedule)s), Cyclical.Select(s => (ISchedule)s),
        Wsd.Select(s => (ISchedule)s), InverseSqrt.Select(s => (ISchedule)s));

    /// <summary>A join of 1-3 closed-form schedules, or a product of two.</summary>
    public static Gen<ISchedule> Combined =>
        Gen.OneOf(
            from n in Gen.Choose(1, 3)
            from parts in AnyClosedForm.ArrayOf(n)
            from gaps in Long(1, 300).ArrayOf(n - 1)
            select (ISchedule)new JoinedSchedule(parts, gaps.Select((g, i) => gaps.Take(i + 1).Sum()).ToArray()),
            from a in AnyClosedForm from b in AnyClosedForm
            select (ISchedule)new ProductSchedule(a, b));
}
