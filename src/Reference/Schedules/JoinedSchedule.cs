using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Schedules in sequence (Optax <c>join_schedules(schedules, boundaries)</c>, optax/schedules/_join.py):
/// <c>schedules[0].At(t)</c> for <c>t &lt; b[0]</c>, then <c>schedules[i].At(t - b[i-1])</c> for
/// <c>b[i-1] &lt;= t &lt; b[i]</c>: each schedule sees the step relative to its own boundary.
/// </summary>
public sealed record JoinedSchedule : ISchedule
{
    /// <summary>Joins <paramref name="schedules"/> at <paramref name="boundaries"/> (Optax <c>join_schedules</c>).</summary>
    /// <param name="schedules">One more schedule than boundaries, none null (copied).</param>
    /// <param name="boundaries">Strictly increasing steps &gt;= 0 at which the next schedule takes over (copied).</param>
    /// <exception cref="ArgumentException">The counts do not match, or the boundaries are not strictly increasing.</exception>
    public JoinedSchedule(IReadOnlyList<ISchedule> schedules, IReadOnlyList<long> boundaries)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(boundaries);
        if (schedules.Count != boundaries.Count + 1)
            throw new ArgumentException(
                $"schedules has {schedules.Count} entries but boundaries has {boundaries.Count}; there must be exactly one more schedule than boundaries.",
                nameof(schedules));
        for (int i = 0; i < schedules.Count; i++)
            if (schedules[i] is null) throw new ArgumentNullException($"{nameof(schedules)}[{i}]");
        for (int i = 0; i < boundaries.Count; i++)
        {
            Guard.NonNegative(boundaries[i], $"{nameof(boundaries)}[{i}]");
            if (i > 0 && boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException(
                    $"boundaries must be strictly increasing, but boundaries[{i}] = {boundaries[i]} follows {boundaries[i - 1]}.",
                    nameof(boundaries));
        }
        Schedules = schedules.ToArray();
        Boundaries = boundaries.ToArray();
    }

    /// <summary>The joined schedules, in order.</summary>
    public IReadOnlyList<ISchedule> Schedules { get; }

    /// <summary>The steps at which schedule i + 1 takes over from schedule i.</summary>
    public IReadOnlyList<long> Boundaries { get; }

    /// <summary>Index of the schedule in force at step t and the step it sees.</summary>
    public (int Index, long LocalStep) Locate(long step)
    {
        int i = 0;
        while (i < Boundaries.Count && step >= Boundaries[i]) i++;
        return (i, i == 0 ? step : step - Boundaries[i - 1]);
    }

    /// <summary>The schedule in force at <paramref name="step"/>, evaluated at the step relative to its boundary.</summary>
    /// <param name="step">0-based step, &gt;= 0.</param>
    public double At(long step)
    {
        StepGuard.Check(step);
        var (i, local) = Locate(step);
        return Schedules[i].At(local);
    }

    /// <summary><c>A |b1| B |b2| C</c>, the form <see cref="ScheduleParser"/> reads.</summary>
    public override string ToString() =>
        string.Concat(Schedules.Select((s, i) => (i == 0 ? "" : $" |{ScheduleText.Num(Boundaries[i - 1])}| ") + s));
}
