using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Time-based decay, <c>lr(t) = lr0 / (1 + k*t)</c>. This is what Keras 2's optimizer argument
/// <c>decay=k</c> did (keras/optimizers.py 2.2.4: <c>lr * (1 / (1 + decay * iterations))</c>, t = updates
/// already applied, so step 0 gives lr0), and equals Keras 3 <c>InverseTimeDecay(lr0, decay_steps=1,
/// decay_rate=k)</c>. Applied per iteration (batch) in Keras; the caller may equally pass epochs.
/// </summary>
public sealed record TimeBasedDecay : ISchedule
{
    /// <summary>lr0, the rate at step 0, finite and &gt;= 0; default 0.01.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.01;

    /// <summary>k, the Keras 2 <c>decay</c> argument.</summary>
    public double DecayRate { get; init => field = Guard.NonNegativeFinite(value, nameof(DecayRate)); } = 1e-4;

    /// <summary><c>lr0 / (1 + k*t)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double t = step;
        return InitialLearningRate / (1.0 + DecayRate * t);
    }

    /// <summary>The text form <c>time:lr=...,k=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("time",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("k", ScheduleText.Num(DecayRate)));
}
