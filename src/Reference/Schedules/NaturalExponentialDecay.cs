using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// The seed articles' exponential decay <c>lr(t) = lr0 * e^(-k t)</c> (TF1 natural_exp_decay;
/// Keras ExponentialDecay with decay_rate = e^-k and decay_steps = 1, up to the rounding of e^-k).
/// </summary>
public sealed record NaturalExponentialDecay : ISchedule
{
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>k &gt;= 0.</summary>
    public double DecayRate { get; init => field = Guard.NonNegativeFinite(value, nameof(DecayRate)); } = 0.1;

    /// <summary><c>lr0 * Math.Exp(-k * t)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double t = step;
        return InitialLearningRate * Math.Exp(-DecayRate * t);
    }

    public override string ToString() => ScheduleText.Format("natexp",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("k", ScheduleText.Num(DecayRate)));
}
