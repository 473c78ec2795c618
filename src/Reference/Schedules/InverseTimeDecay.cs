using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Keras <c>InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase)</c>:
/// <c>p = t / decay_steps</c> (floored when staircase); <c>lr = lr0 / (1 + decay_rate * p)</c>.
/// With decay_steps = 1 it is <see cref="TimeBasedDecay"/> (Keras 2's <c>decay</c> argument).
/// </summary>
public sealed record InverseTimeDecay : ISchedule
{
    /// <summary>lr0 (Keras <c>initial_learning_rate</c>), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>Keras <c>decay_steps</c>, &gt; 0: p = t / DecaySteps; default 1000.</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 1000;

    /// <summary>Keras <c>decay_rate</c>, finite and &gt;= 0; default 0.5.</summary>
    public double DecayRate { get; init => field = Guard.NonNegativeFinite(value, nameof(DecayRate)); } = 0.5;

    /// <summary>Keras <c>staircase</c>: floor p so the rate drops in steps; default false.</summary>
    public bool Staircase { get; init; }

    /// <summary><c>lr0 / (1 + rate * p)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate / (1.0 + DecayRate * p);
    }

    /// <summary>The text form <c>invtime:lr=...,steps=...,rate=...,staircase=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("invtime",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("steps", ScheduleText.Num(DecaySteps)),
        ("rate", ScheduleText.Num(DecayRate)), ("staircase", ScheduleText.Bool(Staircase)));
}
