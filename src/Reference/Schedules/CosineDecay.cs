using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>CosineDecay(initial_learning_rate, decay_steps, alpha=0, warmup_target=None, warmup_steps=0)</c>
/// (keras/src/optimizers/schedules/learning_rate_schedule.py), closed form:
/// without warm-up <c>s = min(t, T)</c>, <c>lr = lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s/T)) + alpha)</c>.
/// With a warm-up target: <c>s = min(t, T + W)</c>; if <c>s &lt; W</c>, <c>lr = (target - lr0) * (s/W) + lr0</c>,
/// else the cosine above from <c>target</c> at step <c>s - W</c>.
/// </summary>
public sealed record CosineDecay : ISchedule
{
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T &gt; 0, the cosine's length.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>Floor as a fraction of the decayed-from lr, in [0, 1).</summary>
    public double Alpha { get; init => field = Guard.UnitInterval(value, nameof(Alpha)); }

    /// <summary>Keras' warmup_target: null means no warm-up (then WarmupSteps is ignored, as in Keras).</summary>
    public double? WarmupTarget { get; init => field = value is { } v ? Guard.NonNegativeFinite(v, nameof(WarmupTarget)) : null; }

    public long WarmupSteps { get; init => field = Guard.NonNegative(value, nameof(WarmupSteps)); }

    /// <summary>Keras _decay_function: <c>from * ((1 - alpha) * (0.5 * (1 + cos(pi * (s / T)))) + alpha)</c>.</summary>
    static double Decay(double s, double decaySteps, double from, double alpha)
    {
        double completedFraction = s / decaySteps;
        double cosineDecayed = 0.5 * (1.0 + Math.Cos(Math.PI * completedFraction));
        double decayed = (1.0 - alpha) * cosineDecayed + alpha;
        return from * decayed;
    }

    public double At(long step)
    {
        StepGuard.Check(step);
        double t = step, decaySteps = DecaySteps;
        if (WarmupTarget is not { } target)
            return Decay(Math.Min(t, decaySteps), decaySteps, InitialLearningRate, Alpha);
        double warmupSteps = WarmupSteps;
        double s = Math.Min(t, decaySteps + warmupSteps);
        if (s < warmupSteps)
            return (target - InitialLearningRate) * (s / warmupSteps) + InitialLearningRate;
        return Decay(s - warmupSteps, decaySteps, target, Alpha);
    }

    public override string ToString() => WarmupTarget is { } target
        ? ScheduleText.Format("cosine", ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
            ("alpha", ScheduleText.Num(Alpha)), ("target", ScheduleText.Num(target)), ("warmup", ScheduleText.Num(WarmupSteps)))
        : ScheduleText.Format("cosine", ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
            ("alpha", ScheduleText.Num(Alpha)));
}
