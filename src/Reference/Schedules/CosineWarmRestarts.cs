using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Cosine annealing with warm restarts, SGDR (Loshchilov &amp; Hutter 2017; PyTorch
/// <c>CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)</c>), with Keras <c>CosineDecayRestarts</c>' m_mul:
/// <code>
/// lr = eta_min + (base - eta_min) * m_mul^i * (1 + cos(pi * T_cur / T_i)) / 2
/// </code>
/// where i is the restart index, T_i = T_0 * T_mult^i the current period and T_cur the steps since the
/// last restart. Restarts are found with integer counters (PyTorch's step(): T_cur += 1; if T_cur &gt;= T_i:
/// T_cur -= T_i, T_i *= T_mult), not Keras' floating-point logarithm, which can misplace a restart by one step.
/// </summary>
public sealed record CosineWarmRestarts : ISchedule
{
    /// <summary>base, the rate at step 0 and at the first restart's peak, finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T_0 &gt; 0: steps until the first restart.</summary>
    public long FirstPeriod { get; init => field = Guard.Positive(value, nameof(FirstPeriod)); } = 10;

    /// <summary>T_mult &gt;= 1 (an integer, as PyTorch requires).</summary>
    public long PeriodMultiplier { get; init => field = Guard.Positive(value, nameof(PeriodMultiplier)); } = 1;

    /// <summary>Keras m_mul in (0, 1]: each restart's amplitude is m_mul times the previous one.</summary>
    public double AmplitudeMultiplier { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(AmplitudeMultiplier)); } = 1.0;

    /// <summary>eta_min &gt;= 0.</summary>
    public double MinLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MinLearningRate)); }

    /// <summary>The lr given restart index i, T_cur and T_i (shared by the recursive and the closed-form walk).</summary>
    public double Value(long restart, long tCur, long tI) =>
        MinLearningRate + (InitialLearningRate - MinLearningRate) * Math.Pow(AmplitudeMultiplier, restart)
        * (1.0 + Math.Cos(Math.PI * tCur / tI)) / 2.0;

    /// <summary>Walks PyTorch's integer recursion t times. O(t).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        long tCur = 0, tI = FirstPeriod, restart = 0;
        for (long e = 1; e <= step; e++)
        {
            tCur += 1;
            if (tCur >= tI)
            {
                tCur -= tI;
                tI = checked(tI * PeriodMultiplier);
                restart++;
            }
        }
        return Value(restart, tCur, tI);
    }

    /// <summary>The text form <c>sgdr:lr=...,t0=...,tmult=...,mmul=...,min=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("sgdr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("t0", ScheduleText.Num(FirstPeriod)),
        ("tmult", ScheduleText.Num(PeriodMultiplier)), ("mmul", ScheduleText.Num(AmplitudeMultiplier)),
        ("min", ScheduleText.Num(MinLearningRate)));
}
