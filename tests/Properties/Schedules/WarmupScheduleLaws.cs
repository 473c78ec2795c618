using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>
/// Laws of the warm-up schedules WSD (Hu et al. 2024; Hägele et al. 2024) and inverse-sqrt (Vaswani et al. 2017), checked on
/// the Reference (the Fast twins have the same bits: FastEqualsReference). Monotonicity needs no tolerance: each phase is a
/// chain of correctly rounded operations that are each monotone in t, and rounding to nearest preserves order.
/// </summary>
public class WarmupScheduleLaws
{
    static readonly double U = Bounds.UnitRoundoff<double>();

    static Property ForAll<T>(Gen<T> gen, Func<T, Property> body) => Prop.ForAll(gen.ToArbitrary(), body);

    /// <summary>
    /// Continuity at the phase boundaries. Exact: the stable phase is lr; the cooldown starts at lr (g(0) = 0, so
    /// lr - span*0 = lr); after the cooldown the value is frozen (x is clamped to 1) at lr - fl(lr - min), which is min exactly
    /// when min = 0 (lr - lr) or min &gt;= lr/2 (Sterbenz: lr - min is exact), and within u*lr of min otherwise
    /// (|fl(lr - fl(lr - min)) - min| &lt;= u(lr - min) + u*min(1 + u) &lt;= u*lr(1 + u)).
    /// Into the stable phase: the warm-up line lr*(t/W) reaches lr*(W/W) = lr exactly, so the last warm-up step is one ramp
    /// increment below lr: At(W) - At(W-1) = lr/W up to 2 roundings of lr-sized values (|error| &lt;= 2u*lr), no jump beyond it.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Wsd_is_continuous_at_its_phase_boundaries() =>
        ForAll(ScheduleGens.Wsd, s =>
        {
            long w = s.WarmupSteps, coolStart = w + s.StableSteps, end = coolStart + s.DecaySteps;
            double lr = s.LearningRate, min = s.MinLearningRate;
            double final = s.At(end);
            bool exactEnd = min == 0 || min >= lr / 2;
            bool ok = s.At(coolStart) == lr
                && (s.StableSteps == 0 || s.At(coolStart - 1) == lr && s.At(w) == lr)
                && (exactEnd ? final == min : Math.Abs(final - min) <= U * lr * (1 + U))
                && s.At(end + 1) == final && s.At(end + 12345) == final && s.At(long.MaxValue) == final
                && (w == 0 || Math.Abs(s.At(w) - s.At(w - 1) - lr / w) <= 2 * U * lr);
            return ok.Label($"{s}: at W {s.At(w):R}, cooldown start {s.At(coolStart):R}, end {final:R} (min {min:R})");
        });

    [Property(MaxTest = 300)]
    public Property Wsd_rises_during_warmup_and_never_rises_afterwards() =>
        ForAll(from s in ScheduleGens.Wsd from t in ScheduleGens.Long(0, 1400) select (s, t), x =>
        {
            var (s, t) = x;
            double a = s.At(t), b = s.At(t + 1);
            bool ok = t + 1 <= s.WarmupSteps ? a <= b : b <= a;
            return (ok && a >= 0 && a <= s.LearningRate).Label($"{s} t={t}: {a:R} -> {b:R}");
        });

    /// <summary>
    /// The two cooldowns at their common points: both start at lr and end at the same value; halfway the linear form is
    /// lr - span/2 and the 1-sqrt form lr - span*sqrt(1/2) (x = 1/2 exactly when D is even); 1-sqrt is below linear inside
    /// the cooldown because sqrt(x) &gt;= x on [0, 1] and each side is a monotone chain of roundings of the same operations.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property One_minus_sqrt_cooldown_lies_below_the_linear_one_and_meets_it_at_both_ends() =>
        ForAll(from s in ScheduleGens.Wsd from k in ScheduleGens.Long(0, 500) select (s, k), x =>
        {
            var sq = x.s with { Form = CooldownForm.OneMinusSqrt };
            var lin = x.s with { Form = CooldownForm.Linear };
            long coolStart = x.s.WarmupSteps + x.s.StableSteps, t = coolStart + Math.Min(x.k, x.s.DecaySteps);
            bool ok = sq.At(t) <= lin.At(t) && sq.At(coolStart) == lin.At(coolStart)
                && sq.At(coolStart + x.s.DecaySteps) == lin.At(coolStart + x.s.DecaySteps);
            if (x.s.DecaySteps % 2 == 0)
            {
                double span = x.s.LearningRate - x.s.MinLearningRate, half = coolStart + x.s.DecaySteps / 2;
                ok &= lin.At((long)half) == x.s.LearningRate - span * 0.5
                    && sq.At((long)half) == x.s.LearningRate - span * Math.Sqrt(0.5);
            }
            return ok.Label($"{x.s} t={t}: 1-sqrt {sq.At(t):R}, linear {lin.At(t):R}");
        });

    [Fact]
    public void Wsd_hand_values()
    {
        // lr 0.8, W = 4, S = 2, D = 4, min 0: warm-up 0, 0.2, 0.4, 0.6; stable 0.8, 0.8 (t = 4, 5);
        // cooldown t = 6..10: x = 0, 1/4, 1/2, 3/4, 1. Linear: 0.8 - 0.8x = 0.8, 0.6, 0.4, 0.2, 0.
        // 1-sqrt at x = 1/4: 0.8 - 0.8*0.5 = 0.4 (sqrt(0.25) = 0.5 exactly); at x = 1: 0.
        var lin = new WarmupStableDecay { LearningRate = 0.8, WarmupSteps = 4, StableSteps = 2, DecaySteps = 4, Form = CooldownForm.Linear };
        Assert.Equal([0, 0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.8, 0.6000000000000001, 0.4, 0.19999999999999996, 0, 0],
            Enumerable.Range(0, 12).Select(t => lin.At(t)).ToArray());
        var sq = lin with { Form = CooldownForm.OneMinusSqrt };
        Assert.Equal(0.4, sq.At(7));
        Assert.Equal(0.0, sq.At(10));
    }

    /// <summary>Inverse sqrt: the warm-up line and the decay both give lr at t = W (W/W = 1, sqrt(1) = 1), the last warm-up
    /// step is one ramp increment lr/W below (|error| &lt;= 2u*lr, as for WSD), and W steps later the rate is lr/sqrt(2)
    /// within 2 roundings (sqrt(W/2W) = sqrt(0.5) correctly rounded, times lr).</summary>
    [Property(MaxTest = 300)]
    public Property Inverse_sqrt_is_continuous_at_the_end_of_warmup() =>
        ForAll(ScheduleGens.InverseSqrt, s =>
        {
            long w = s.WarmupSteps;
            double lr = s.LearningRate;
            bool ok = s.At(w) == lr && Math.Abs(s.At(w) - s.At(w - 1) - lr / w) <= 2 * U * lr
                && s.At(2 * w) == lr * Math.Sqrt(0.5) && s.At(4 * w) == lr * 0.5 && s.At(0) == 0;
            return ok.Label($"{s}: at W-1 {s.At(w - 1):R}, at W {s.At(w):R}, at 2W {s.At(2 * w):R}");
        });

    [Property(MaxTest = 300)]
    public Property Inverse_sqrt_rises_during_warmup_and_never_rises_afterwards() =>
        ForAll(from s in ScheduleGens.InverseSqrt from t in Gen.OneOf(ScheduleGens.Long(0, 12_000), ScheduleGens.Long(0, 1L << 52)) select (s, t), x =>
        {
            var (s, t) = x;
            double a = s.At(t), b = s.At(t + 1);
            bool ok = t + 1 <= s.WarmupSteps ? a <= b : b <= a;
            return (ok && a >= 0 && a <= s.LearningRate).Label($"{s} t={t}: {a:R} -> {b:R}");
        });

    /// <summary>
    /// Vaswani et al.'s formula <c>d^-0.5 * min(n^-0.5, n * W^-1.5)</c> (n = t &gt;= 1) is this schedule with lr = (d W)^-0.5.
    /// Error budget, relative, assuming Math.Pow within 1 ulp (glibc's bound; u = 2^-53 is half an ulp): ours is one pow
    /// (2u) and three correctly rounded operations (3u); Vaswani's three pows (6u) and two products (2u); total 13u, asserted
    /// as 16u.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Inverse_sqrt_is_the_transformer_schedule_with_lr_one_over_sqrt_d_times_warmup() =>
        ForAll(from s in ScheduleGens.InverseSqrt from d in Gen.Elements(64, 256, 512, 1024, 4096) from t in ScheduleGens.Long(1, 100_000) select (s, d, t), x =>
        {
            var ours = x.s with { LearningRate = Math.Pow((double)x.d * x.s.WarmupSteps, -0.5) };
            double n = x.t, vaswani = Math.Pow(x.d, -0.5) * Math.Min(Math.Pow(n, -0.5), n * Math.Pow(x.s.WarmupSteps, -1.5));
            double got = ours.At(x.t);
            return (Math.Abs(got - vaswani) <= 16 * U * vaswani).Label($"d={x.d} W={x.s.WarmupSteps} n={x.t}: ours {got:R}, Vaswani {vaswani:R}");
        });
}
