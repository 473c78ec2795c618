using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)</c>
/// (keras/src/optimizers/schedules/learning_rate_schedule.py):
/// <c>p = step / decay_steps</c> (floored when staircase); <c>lr = lr0 * decay_rate^p</c>.
/// </summary>
public sealed record ExponentialDecay : ISchedule
{
    /// <summary>lr0 (Keras <c>initial_learning_rate</c>), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>Keras <c>decay_steps</c>, &gt; 0: the rate is multiplied by DecayRate once every DecaySteps steps; default 1000.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>Keras allows any positive rate (a rate &gt; 1 grows).</summary>
    public double DecayRate { get; init => field = Guard.PositiveFinite(value, nameof(DecayRate)); } = 0.96;

    /// <summary>Keras <c>staircase</c>: floor the exponent so the rate drops in steps; default false (smooth).</summary>
    public bool Staircase { get; init; }

    /// <summary><c>lr0 * Math.Pow(rate, p)</c>, <c>p = t / decay_steps</c> or <c>floor(t / decay_steps)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate * Math.Pow(DecayRate, p);
    }

    /// <summary>The text form <c>exp:lr=...,steps=...,rate=...,staircase=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("exp",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("rate", ScheduleText.Num(DecayRate)), ("staircase", ScheduleText.Bool(Staircase)));
}
