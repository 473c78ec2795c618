using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Linear decay from lr0 to <c>end</c> (0 by default) over <c>decay_steps</c>, then constant:
/// <c>s = min(t, T); lr = (lr0 - end) * (1 - s/T) + end</c>
/// (Keras PolynomialDecay with power 1, written without the pow; Optax linear_schedule).
/// </summary>
public sealed record LinearDecay : ISchedule
{
    /// <summary>lr0, the rate at step 0, finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T, the steps of the decline, &gt; 0; default 1000. From T on the rate stays at the end value.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>The rate reached at step T and kept after, finite and &gt;= 0; default 0.</summary>
    public double EndLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(EndLearningRate)); }

    /// <summary><c>(lr0 - end) * (1 - min(t, T)/T) + end</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double s = Math.Min(step, DecaySteps);
        double p = s / DecaySteps;
        return (InitialLearningRate - EndLearningRate) * (1.0 - p) + EndLearningRate;
    }

    /// <summary>The text form <c>linear:lr=...,steps=...,end=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("linear",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("end", ScheduleText.Num(EndLearningRate)));
}
