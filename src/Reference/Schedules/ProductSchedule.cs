using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// The product of schedules evaluated at the same step, left to right:
/// <c>lr(t) = s0(t) * s1(t) * ...</c>. E.g. a <see cref="LinearWarmup"/> from 0 to 1 times a
/// <see cref="CosineDecay"/> is warm-up-then-cosine.
/// </summary>
public sealed record ProductSchedule : ISchedule
{
    /// <summary>The product of <paramref name="factors"/>.</summary>
    /// <param name="factors">At least one schedule, none null (copied).</param>
    /// <exception cref="ArgumentException"><paramref name="factors"/> is empty.</exception>
    public ProductSchedule(params ISchedule[] factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Length == 0) throw new ArgumentException("factors must hold at least one schedule, but was empty.", nameof(factors));
        for (int i = 0; i < factors.Length; i++)
            if (factors[i] is null) throw new ArgumentNullException($"{nameof(factors)}[{i}]");
        Factors = factors.ToArray();
    }

    /// <summary>The factors, multiplied left to right.</summary>
    public IReadOnlyList<ISchedule> Factors { get; }

    /// <summary><c>((s0(t) * s1(t)) * s2(t)) ...</c></summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = Factors[0].At(step);
        for (int i = 1; i < Factors.Count; i++) lr = lr * Factors[i].At(step);
        return lr;
    }

    /// <summary><c>A * B</c>, the form <see cref="ScheduleParser"/> reads.</summary>
    public override string ToString() => string.Join(" * ", Factors);
}
