using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// The seed articles' "time-based decay" written as a Keras LearningRateScheduler callback,
/// <c>schedule(epoch, lr) = lr * 1/(1 + d*epoch)</c>, called at the beginning of every epoch with the
/// optimizer's current lr. The decay therefore compounds:
/// <c>lr(e) = lr0 * prod_{i=0..e} 1/(1 + d*i)</c> (the i = 0 factor is 1).
/// </summary>
public sealed record CumulativeTimeDecay : ISchedule
{
    /// <summary>lr0, the rate at epoch 0, finite and &gt;= 0; default 0.01.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.01;

    /// <summary>d, the per-epoch decay.</summary>
    public double Decay { get; init => field = Guard.NonNegativeFinite(value, nameof(Decay)); } = 0.01;

    /// <summary>
    /// Recursive, as the callback runs it: <c>lr = lr0; for i in 0..e: lr = lr * (1 / (1 + d*i))</c>. O(e).
    /// </summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long i = 0; i <= step; i++)
            lr = lr * (1.0 / (1.0 + Decay * i));
        return lr;
    }

    /// <summary>The text form <c>cumtime:lr=...,d=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("cumtime",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("d", ScheduleText.Num(Decay)));
}
