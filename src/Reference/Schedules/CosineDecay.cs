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
    /// <summary>lr0 (Keras <c>initial_learning_rate</c>): the start of the warm-up, or of the cosine when there is none; finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T &gt; 0, the cosine's length.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>Floor as a fraction of the decayed-from lr, in [0, 1).</summary>
    public double Alpha { get; init => field = Guard.UnitInterval(value, nameof(Alpha)); }

    /// <summary>Keras' warmup_target: null means no warm-up (then WarmupSteps is ignored, as in Keras).</summary>
    public double? WarmupTarget { get; init => field = value is { } v ? Guard.NonNegativeFinite(v, nameof(WarmupTarget)) : null; }

    /// <summary>W, Keras <c>warmup_steps</c>: steps of linear warm-up from lr0 to <see cref="WarmupTarget"/>, &gt;= 0; default 0. Ignored without a target.</summary>
    public long WarmupSteps { get; init => field = Guard.NonNegative(value, nameof(WarmupSteps)); }

    /// <summary>Keras _decay_function: <c>from * ((1 - alpha) * (0.5 * (1 + cos(pi * (s / T)))) + alpha)</c>.</summary>
    static double Decay(double s, double decaySteps, double from, double alpha)
    {
        double completedFraction = s / decaySteps;
        double cosineDecayed = 0.5 * (1.0 + Math.Cos(Math.PI * completedFraction));
        double decayed = (1.0 - alpha) * cosineDecayed + alpha;
        return from * decayed;
    }

    /// <summary>Keras' closed form: the warm-up while s &lt; W, then the cosine from the target (or lr0) down to alpha times it, constant after T (+ W) steps.</summary>
    /// <param name="step">0-based step, &gt;= 0.</param>
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

    /// <summary>The text form <c>cosine:lr=...,steps=...,alpha=...</c> (plus <c>target=...,warmup=...</c> with a warm-up), which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => WarmupTarget is { } target
        ? ScheduleText.Format("cosine", ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
            ("alpha", ScheduleText.Num(Alpha)), ("target", ScheduleText.Num(target)), ("warmup", ScheduleText.Num(WarmupSteps)))
        : ScheduleText.Format("cosine", ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
            ("alpha", ScheduleText.Num(Alpha)));
}
