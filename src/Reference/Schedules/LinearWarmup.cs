using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Linear warm-up from lr0 to a target over W steps, then the target (Keras CosineDecay's
/// _warmup_function; Optax linear_schedule): <c>s = min(t, W); lr = (target - lr0) * (s / W) + lr0</c>.
/// Multiply it with a decay (warm-up as a factor 0..1) or join it before one.
/// </summary>
public sealed record LinearWarmup : ISchedule
{
    /// <summary>The rate at step 0 (the warm-up's start), finite and &gt;= 0; default 0.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); }

    /// <summary>The rate reached at step W and kept after, finite and &gt;= 0; default 0.1. Use 1 to make a 0..1 factor for a <see cref="ProductSchedule"/>.</summary>
    public double TargetLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(TargetLearningRate)); } = 0.1;

    /// <summary>W, the warm-up length in steps, &gt; 0; default 100.</summary>
    public long WarmupSteps { get; init => field = Guard.Positive(value, nameof(WarmupSteps)); } = 100;

    /// <summary><c>(target - lr0) * (min(t, W) / W) + lr0</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double s = Math.Min(step, WarmupSteps);
        return (TargetLearningRate - InitialLearningRate) * (s / WarmupSteps) + InitialLearningRate;
    }

    /// <summary>The text form <c>warmup:start=...,target=...,steps=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("warmup",
        ("start", ScheduleText.Num(InitialLearningRate)), ("target", ScheduleText.Num(TargetLearningRate)),
        ("steps", ScheduleText.Num(WarmupSteps)));
}
