using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate=1e-4, power=1, cycle=False)</c>:
/// without cycle <c>s = min(t, T)</c>, <c>T' = T</c>; with cycle <c>s = t</c>,
/// <c>T' = T * (t == 0 ? 1 : ceil(t / T))</c>; then <c>lr = (lr0 - end) * (1 - s/T')^power + end</c>.
/// </summary>
public sealed record PolynomialDecay : ISchedule
{
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    public double EndLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(EndLearningRate)); } = 1e-4;

    public double Power { get; init => field = Guard.PositiveFinite(value, nameof(Power)); } = 1.0;

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

    public override string ToString() => ScheduleText.Format("poly",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("end", ScheduleText.Num(EndLearningRate)), ("power", ScheduleText.Num(Power)),
        ("cycle", ScheduleText.Bool(Cycle)));
}
