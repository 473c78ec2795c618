using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// The seed articles' exponential decay <c>lr(t) = lr0 * e^(-k t)</c> (TF1 natural_exp_decay;
/// Keras ExponentialDecay with decay_rate = e^-k and decay_steps = 1, up to the rounding of e^-k).
/// </summary>
public sealed record NaturalExponentialDecay : ISchedule
{
    /// <summary>lr0, the rate at step 0, finite and &gt;= 0; default 0.1.</summary>
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

    /// <summary>The text form <c>natexp:lr=...,k=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("natexp",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("k", ScheduleText.Num(DecayRate)));
}
