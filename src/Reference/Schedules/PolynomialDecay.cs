using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate=1e-4, power=1, cycle=False)</c>:
/// without cycle <c>s = min(t, T)</c>, <c>T' = T</c>; with cycle <c>s = t</c>,
/// <c>T' = T * (t == 0 ? 1 : ceil(t / T))</c>; then <c>lr = (lr0 - end) * (1 - s/T')^power + end</c>.
/// </summary>
public sealed record PolynomialDecay : ISchedule
{
    /// <summary>lr0 (Keras <c>initial_learning_rate</c>), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T (Keras <c>decay_steps</c>), &gt; 0; default 1000.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>Keras <c>end_learning_rate</c>, reached at step T, finite and &gt;= 0; default 1e-4.</summary>
    public double EndLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(EndLearningRate)); } = 1e-4;

    /// <summary>Keras <c>power</c>, &gt; 0; default 1 (linear).</summary>
    public double Power { get; init => field = Guard.PositiveFinite(value, nameof(Power)); } = 1.0;

    /// <summary>Keras <c>cycle</c>: past T the horizon becomes the next multiple of T (<c>T' = T*ceil(t/T)</c>), so the rate jumps up at each multiple and decays again, instead of staying at the end value; default false.</summary>
    public bool Cycle { get; init; }

    /// <summary><c>(lr0 - end) * Math.Pow(1 - s/T', power) + end</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double s = step;
        double decaySteps = DecaySteps;
        if (Cycle)
        {
            double multiplier = step == 0 ? 1.0 : Math.Ceiling(s / DecaySteps);
            decaySteps = decaySteps * multiplier;
        }
        else
        {
            s = Math.Min(s, decaySteps);
        }
        double p = s / decaySteps;
        return (InitialLearningRate - EndLearningRate) * Math.Pow(1.0 - p, Power) + EndLearningRate;
    }

    /// <summary>The text form <c>poly:lr=...,steps=...,end=...,power=...,cycle=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("poly",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("end", ScheduleText.Num(EndLearningRate)), ("power", ScheduleText.Num(Power)),
        ("cycle", ScheduleText.Bool(Cycle)));
}
