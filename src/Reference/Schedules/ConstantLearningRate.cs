using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Constant learning rate: <c>lr(t) = lr0</c> (Keras: a float learning rate; Optax constant_schedule).
/// Not PyTorch's ConstantLR, which is a factor applied for the first N iterations.
/// </summary>
public sealed record ConstantLearningRate : ISchedule
{
    /// <summary>The constant rate lr0, finite and &gt;= 0; default 0.01.</summary>
    public double LearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(LearningRate)); } = 0.01;

    /// <summary><c>lr(t) = lr0</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        return LearningRate;
    }

    /// <summary>The text form <c>constant:lr=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("constant", ("lr", ScheduleText.Num(LearningRate)));
}
