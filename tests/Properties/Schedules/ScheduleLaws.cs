using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>Laws each schedule must obey, checked on the Reference (and, through FastEqualsReference, on Fast).</summary>
public class ScheduleLaws
{
    static readonly double U = Bounds.UnitRoundoff<double>();

    static Property ForAll<T>(Gen<T> gen, Func<T, Property> body) => Prop.ForAll(gen.ToArbitrary(), body);

    // ---- cyclical learning rates -------------------------------------------------------------------

    /// <summary>
    /// Error of one CLR evaluation against the exact value, derived from the bckenstler formula (u = 2^-53):
    /// cycle = floor(1 + t/(2s)) is exact (t/(2s) is exact when it is an integer, and at least 1/(2s) away from
    /// one otherwise, far more than its rounding); q = fl(t/s) is off by at most u t/s, x = |q - 2c + 1| by at
    /// most u(3t/s + 5), y = max(0, 1 - x) by one more u, and fl(max - base), the two products and the final
    /// sum add at most 2u (max - base) + u max (second-order terms absorbed in the +8 and the 2 max):
    /// E(t) = u [(max - base)(3t/s + 8) + 2 max].
    /// </summary>
    static double ClrError(CyclicalLearningRate c, long t) =>
        U * ((c.MaxLearningRate - c.BaseLearningRate) * (3.0 * t / c.StepSize + 8) + 2 * c.MaxLearningRate);

    [Property(MaxTest = 300)]
    public Property Triangular_cycle_is_periodic_with_period_two_step_sizes() =>
        ForAll(from c in ScheduleGens.Cyclical from t in ScheduleGens.Long(0, 1_000_000) select (c: c with { Mode = CyclicalMode.Triangular }, t), x =>
        {
            var (c, t) = x;
            long period = 2 * c.StepSize;
            double a = c.At(t), b = c.At(t + period), bound = ClrError(c, t) + ClrError(c, t + period);
            return (Math.Abs(a - b) <= bound).Label($"{c} t={t}: {a:R} vs {b:R} one period later, bound {bound:R}");
        });

    /// <summary>
    /// base &lt;= lr &lt;= max: fl(base + nonnegative) &gt;= base exactly (monotone rounding); from above,
    /// fl(max - base) is within u (max - base) &lt; ulp(max) of max - base, so base + it rounds to at most the
    /// float after max, and the scale factors (&lt;= 1) only lower it.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Every_cyclical_mode_stays_within_its_bounds() =>
        ForAll(from c in ScheduleGens.Cyclical from t in ScheduleGens.Long(0, 1_000_000) select (c, t), x =>
        {
            var (c, t) = x;
            double lr = c.At(t);
            return (lr >= c.BaseLearningRate && lr <= Math.BitIncrement(c.MaxLearningRate)).Label($"{c} t={t}: {lr:R}");
        });

    [Property(MaxTest = 200)]
    public Property Triangular_peaks_at_max_after_step_size_and_triangular2_halves_each_cycle() =>
        ForAll(from c in ScheduleGens.Cyclical from k in Gen.Choose(0, 20) select (c, k), x =>
        {
            var (c, k) = x;
            long peak = c.StepSize + 2L * k * c.StepSize;   // x = 0 exactly there: lr = base + (max - base) * scale
            double tri = (c with { Mode = CyclicalMode.Triangular }).At(peak);
            double tri2 = (c with { Mode = CyclicalMode.Triangular2 }).At(peak);
            double d = c.MaxLearningRate - c.BaseLearningRate;
            return (tri == c.BaseLearningRate + d
                    && tri2 == c.BaseLearningRate + d * (1.0 / Math.Pow(2, k))
                    && (c with { Mode = CyclicalMode.Triangular }).At(2L * k * c.StepSize) == c.BaseLearningRate)
                .Label($"{c} cycle {k}: triangular {tri:R}, triangular2 {tri2:R}");
        });

    // ---- step decay -------------------------------------------------------------------------------------

    /// <summary>
    /// Never increases, constant between drops. drop is 1 or at most 0.999, so consecutive powers differ by
    /// at least 0.1 % in exact arithmetic, far more than Math.Pow's error (&lt; 1 ulp each).
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Step_decay_is_piecewise_constant_and_never_increases() =>
        ForAll(from s in ScheduleGens.Step from t in ScheduleGens.Long(0, 5000) select (s, t), x =>
        {
            var (s, t) = x;
            double a = s.At(t), b = s.At(t + 1);
            bool dropsHere = s.Form == StepDecayForm.Epoch ? (t + 1) % s.EpochsDrop == 0 : (t + 2) % s.EpochsDrop == 0;
            return (b <= a && (dropsHere || b == a) && (!dropsHere || s.Drop == 1.0 || b < a || a == 0))   // 0 once it underflows
                .Label($"{s} t={t}: {a:R} -> {b:R}, drop expected: {dropsHere}");
        });

    [Property(MaxTest = 200)]
    public Property Step_decay_plus_one_form_is_the_epoch_form_one_epoch_later() =>
        ForAll(from s in ScheduleGens.Step from t in ScheduleGens.Long(0, 5000) select (s, t), x =>
        {
            var (s, t) = x;
            double a = (s with { Form = StepDecayForm.EpochPlusOne }).At(t), b = (s with { Form = StepDecayForm.Epoch }).At(t + 1);
            NumericAssert.BitExact(a, b, label: $"{s} t={t}");
            return true.ToProperty();
        });

    [Property(MaxTest = 200)]
    public Property Multi_step_never_increases_and_drops_exactly_at_milestones() =>
        ForAll(from s in ScheduleGens.MultiStep from t in ScheduleGens.Long(0, 500) select (s, t), x =>
        {
            var (s, t) = x;
            double a = s.At(t), b = s.At(t + 1);
            bool milestone = s.Milestones.Contains(t + 1);
            return (b <= a && (milestone || b == a)).Label($"{s} t={t}: {a:R} -> {b:R}");
        });

    // ---- identities between schedules ---------------------------------------------------------------

    [Property(MaxTest = 200)]
    public Property Time_based_decay_is_inverse_time_decay_with_one_decay_step() =>
        ForAll(from s in ScheduleGens.TimeBased from stair in ScheduleGens.Bool from t in ScheduleGens.Long(0, 1L << 40) select (s, stair, t), x =>
        {
            var inv = new InverseTimeDecay { InitialLearningRate = x.s.InitialLearningRate, DecayRate = x.s.DecayRate, DecaySteps = 1, Staircase = x.stair };
            NumericAssert.BitExact(x.s.At(x.t), inv.At(x.t), label: $"{x.s} vs {inv} at {x.t}");
            return true.ToProperty();
        });

    [Property(MaxTest = 200)]
    public Property Polynomial_of_power_one_is_linear_decay() =>
        ForAll(from s in ScheduleGens.Linear from t in ScheduleGens.Long(0, 10_000) select (s, t), x =>
        {
            var p = new PolynomialDecay { InitialLearningRate = x.s.InitialLearningRate, DecaySteps = x.s.DecaySteps, EndLearningRate = x.s.EndLearningRate, Power = 1 };
            NumericAssert.BitExact(x.s.At(x.t), p.At(x.t), label: $"{x.s} vs {p} at {x.t}");
            return true.ToProperty();
        });

    [Property(MaxTest = 200)]
    public Property Linear_decay_never_increases_and_ends_exactly_at_end() =>
        ForAll(from s in ScheduleGens.Linear from t in ScheduleGens.Long(0, 10_000) select (s, t), x =>
        {
            var (s, t) = x;
            if (s.EndLearningRate > s.InitialLearningRate) s = s with { EndLearningRate = 0 };
            double a = s.At(t), b = s.At(t + 1);
            return (b <= a && (t < s.DecaySteps || a == s.EndLearningRate)).Label($"{s} t={t}: {a:R} -> {b:R}");
        });

    [Property(MaxTest = 200)]
    public Property Cycling_polynomial_reaches_end_at_every_multiple_of_decay_steps_then_restarts() =>
        ForAll(from s in ScheduleGens.Polynomial from k in Gen.Choose(1, 20) select (s: s with { Cycle = true }, k), x =>
        {
            var (s, k) = x;
            long t = k * s.DecaySteps;
            bool restarts = s.DecaySteps == 1 || s.InitialLearningRate <= s.EndLearningRate || s.At(t + 1) > s.EndLearningRate;   // T = 1: every step is a multiple
            return (s.At(t) == s.EndLearningRate && restarts).Label($"{s} at {t}: {s.At(t):R}, next {s.At(t + 1):R}");
        });

    [Property(MaxTest = 200)]
    public Property Staircase_exponential_is_constant_within_each_interval() =>
        ForAll(from s in ScheduleGens.Exponential from t in ScheduleGens.Long(0, 100_000) select (s: s with { Staircase = true }, t), x =>
        {
            var (s, t) = x;
            return (s.At(t) == s.At(t / s.DecaySteps * s.DecaySteps)).Label($"{s} t={t}");
        });

    [Property(MaxTest = 200)]
    public Property Piecewise_constant_boundaries_are_inclusive_upper_ends() =>
        ForAll(ScheduleGens.Piecewise, s =>
        {
            for (int i = 0; i < s.Boundaries.Count; i++)
                if (s.At(s.Boundaries[i]) != s.Values[i] || s.At(s.Boundaries[i] + 1) != s.Values[i + 1])
                    return false.Label($"{s} at boundary {i}");
            return (s.At(0) == s.Values[0]).Label($"{s} at 0");
        });

    [Property(MaxTest = 200)]
    public Property Linear_warmup_moves_monotonically_from_start_and_stays_at_its_end_value() =>
        ForAll(from s in ScheduleGens.Warmup from t in ScheduleGens.Long(0, 3000) select (s, t), x =>
        {
            var (s, t) = x;
            double a = s.At(t), b = s.At(t + 1);
            bool monotone = s.TargetLearningRate >= s.InitialLearningRate ? b >= a : b <= a;
            bool flat = t < s.WarmupSteps || a == b;
            return (s.At(0) == s.InitialLearningRate && monotone && flat).Label($"{s} t={t}: {a:R} -> {b:R}");
        });

    // ---- cosine -------------------------------------------------------------------------------------

    /// <summary>
    /// Keras CosineDecay without warm-up: fl(lr0 alpha) &lt;= lr &lt;= lr0 exactly. decayed = fl(fl((1-alpha) cd) + alpha)
    /// with cd in [0, 1]: monotone rounding gives alpha &lt;= decayed &lt;= fl(fl(1 - alpha) + alpha) = 1 (the sum is
    /// within half an ulp of 1). Constant at lr0 alpha after DecaySteps.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Keras_cosine_stays_within_alpha_lr0_and_lr0() =>
        ForAll(from s in ScheduleGens.Cosine from t in ScheduleGens.Long(0, 10_000) select (s: s with { WarmupTarget = null }, t), x =>
        {
            var (s, t) = x;
            double lr = s.At(t);
            return (lr >= s.InitialLearningRate * s.Alpha && lr <= s.InitialLearningRate
                    && (t < s.DecaySteps || lr == s.At(s.DecaySteps))).Label($"{s} t={t}: {lr:R}");
        });

    /// <summary>
    /// PyTorch cosine annealing (closed form, Fast) stays in [eta_min, max] at every step, also past T_max where it
    /// rises again: eta + fl(fl(B a)/2) &gt;= eta by monotone rounding; from above, B = fl(max - eta) is within
    /// u (max - eta) &lt; ulp(max) of max - eta, so the sum rounds to at most the float after max.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Cosine_annealing_stays_within_eta_min_and_max() =>
        ForAll(from s in ScheduleGens.CosineAnnealing from t in ScheduleGens.Long(0, 1_000_000) select (s, t), x =>
        {
            var (s, t) = x;
            double lr = FastSchedule.From(s).At(t);
            return (lr >= s.MinLearningRate && lr <= Math.BitIncrement(s.InitialLearningRate)).Label($"{s} t={t}: {lr:R}");
        });

    /// <summary>
    /// Warm restarts restart: restart i happens at r_i = T_0 (1 + T_mult + ... + T_mult^(i-1)) (computed here
    /// by summation, independently of the schedule's walk); there lr is the cycle's peak
    /// eta + (max - eta) m^i (equal to At(0) bit for bit when m = 1), with m = 1 one step earlier it was lower
    /// (with m &lt; 1 the new peak may sit below the end of a short previous cycle), and every
    /// value lies in [eta_min, max].
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Warm_restarts_restart_at_the_peak_and_stay_within_bounds() =>
        ForAll(ScheduleGens.Sgdr, s =>
        {
            long r = 0, period = s.FirstPeriod;
            for (int i = 0; i < 8 && r < 4000; i++)
            {
                double peak = s.At(r);
                double expected = s.MinLearningRate + (s.InitialLearningRate - s.MinLearningRate) * Math.Pow(s.AmplitudeMultiplier, i) * 2.0 / 2.0;
                if (peak != expected || (s.AmplitudeMultiplier == 1.0 && peak != s.At(0)))
                    return false.Label($"{s} restart {i} at {r}: {peak:R}, expected {expected:R}");
                // The step before a restart sits at min + (prevPeak - min) * (1 + cos(pi (Tp-1)/Tp))/2
                // = min + (prevPeak - min) * sin^2(pi/(2 Tp)), so the restart is a jump up exactly when
                // m_mul > sin^2(pi/(2 Tp)); checked only with a margin far above rounding.
                long previous = period / Math.Max(1, s.PeriodMultiplier);
                double dip = Math.Pow(Math.Sin(Math.PI / (2.0 * previous)), 2);
                if (r > 0 && previous >= 2 && s.InitialLearningRate > s.MinLearningRate
                    && s.AmplitudeMultiplier > dip + 1e-6 && !(s.At(r - 1) < peak))
                    return false.Label($"{s} restart {i} at {r}: no jump up from {s.At(r - 1):R}");
                r += period;
                period *= s.PeriodMultiplier;
            }
            for (long t = 0; t < Math.Min(r, 4000); t++)
            {
                double lr = s.At(t);
                if (lr < s.MinLearningRate || lr > Math.BitIncrement(s.InitialLearningRate))
                    return false.Label($"{s} t={t}: {lr:R} out of bounds");
            }
            return true.ToProperty();
        });

    // ---- one-cycle --------------------------------------------------------------------------------------

    /// <summary>
    /// One-cycle starts at max/div, is highest (max) at the end of the first phase and ends near max/(div*final_div).
    /// Each anneal is end + (start - end)/2 (cos(pi pct) + 1) or (end - start) pct + start: at pct = 0 the cos form
    /// gives end + fl(fl((start - end)/2) * 2) = end + fl(start - end), within u |start - end| of start, hence
    /// tolerance 2u max below (the sum adds another u max).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property One_cycle_rises_to_max_then_falls_to_its_minimum() =>
        ForAll(ScheduleGens.OneCycle, s =>
        {
            double initial = s.MaxLearningRate / s.DivFactor, tol = 2 * U * s.MaxLearningRate;
            double[] all = Enumerable.Range(0, (int)s.TotalSteps).Select(i => s.At(i)).ToArray();
            double top = all.Max();
            bool startOk = Math.Abs(all[0] - initial) <= tol;
            bool topOk = top <= s.MaxLearningRate + tol && top >= initial - tol;
            bool endOk = all[^1] <= all.Skip(all.Length / 2).Max() + tol;
            return (startOk && topOk && endOk).Label($"{s}: start {all[0]:R}, top {top:R}, last {all[^1]:R}");
        });

    // ---- combinators --------------------------------------------------------------------------------

    [Property(MaxTest = 200)]
    public Property Join_evaluates_each_schedule_at_the_step_relative_to_its_boundary() =>
        ForAll(from a in ScheduleGens.AnyClosedForm from b in ScheduleGens.AnyClosedForm from c in ScheduleGens.AnyClosedForm
               from b1 in ScheduleGens.Long(0, 300) from gap in ScheduleGens.Long(1, 300) from t in ScheduleGens.Long(0, 1000)
               select (a, b, c, b1, b2: b1 + gap, t), x =>
        {
            var join = new JoinedSchedule([x.a, x.b, x.c], [x.b1, x.b2]);
            double expected = x.t < x.b1 ? x.a.At(x.t) : x.t < x.b2 ? x.b.At(x.t - x.b1) : x.c.At(x.t - x.b2);
            NumericAssert.BitExact(join.At(x.t), expected, label: $"{join} at {x.t}");
            return true.ToProperty();
        });

    [Property(MaxTest = 200)]
    public Property Product_multiplies_its_factors_at_the_same_step() =>
        ForAll(from a in ScheduleGens.AnyClosedForm from b in ScheduleGens.AnyClosedForm from t in ScheduleGens.Long(0, 1000) select (a, b, t), x =>
        {
            double p = new ProductSchedule(x.a, x.b).At(x.t);
            NumericAssert.BitExact(p, x.a.At(x.t) * x.b.At(x.t), label: $"{x.a} * {x.b} at {x.t}");
            return true.ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property Warmup_times_cosine_is_zero_at_start_and_the_cosine_after_warmup() =>
        ForAll(from c in ScheduleGens.Cosine from w in ScheduleGens.Long(1, 200) from t in ScheduleGens.Long(0, 3000) select (c: c with { WarmupTarget = null }, w, t), x =>
        {
            var s = new ProductSchedule(new LinearWarmup { InitialLearningRate = 0, TargetLearningRate = 1, WarmupSteps = x.w }, x.c);
            bool ok = s.At(0) == 0 && (x.t < x.w || s.At(x.t) == x.c.At(x.t)) && s.At(x.t) <= x.c.At(x.t);
            return ok.Label($"{s} at {x.t}: {s.At(x.t):R} vs cosine {x.c.At(x.t):R}");
        });
}
