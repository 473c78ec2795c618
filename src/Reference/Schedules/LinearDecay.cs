using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Linear decay from lr0 to <c>end</c> (0 by default) over <c>decay_steps</c>, then constant:
/// <c>s = min(t, T); lr = (lr0 - end) * (1 - s/T) + end</c>
/// (Keras PolynomialDecay with power 1, written without the pow; Optax linear_schedule).
/// </summary>
public sealed record LinearDecay : ISchedule
{
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    public double EndLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(EndLearningRate)); }

    /// <summary><c>(lr0 - end) * (1 - min(t, T)/T) + end</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double s = Math.Min(step, DecaySteps);
        double p = s / DecaySteps;
        return (InitialLearningRate - EndLearningRate) * (1.0 - p) + EndLearningRate;
    }

    public override string ToString() => ScheduleText.Format("linear",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("end", ScheduleText.Num(EndLearningRate)));
}
