using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// A schedule made of the optimizer's initial lr and torch's <c>lr_lambda</c>, a factor per epoch: what
/// <see cref="LambdaLR"/> (<c>lr0 * f(e)</c>) and <see cref="MultiplicativeLR"/> (<c>lr *= f(e)</c>) share. Every rate it
/// gives is checked: a negative or non-finite one throws, naming the schedule and the epoch.
/// </summary>
public abstract record FactorSchedule : ISchedule
{
    private protected FactorSchedule(double initialLearningRate, Func<long, double> factor, string name)
    {
        ArgumentNullException.ThrowIfNull(factor);
        InitialLearningRate = Guard.NonNegativeFinite(initialLearningRate, nameof(initialLearningRate));
        Factor = factor;
        Name = name;
    }

    /// <summary>The optimizer's initial lr (torch's base lr).</summary>
    public double InitialLearningRate { get; }

    /// <summary>torch's <c>lr_lambda</c>: the factor at epoch e.</summary>
    public Func<long, double> Factor { get; }

    /// <summary>A name for messages and ToString.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public abstract double At(long step);

    /// <summary><paramref name="lr"/> if it is a finite number &gt;= 0; otherwise throws naming the schedule and the step.</summary>
    private protected double Checked(double lr, long step) => double.IsFinite(lr) && lr >= 0 ? lr
        : throw new InvalidOperationException(
            $"The schedule '{Name}' gave learning rate {ScheduleText.Num(lr)} at step {step}; a learning rate must be a finite number >= 0.");

    /// <summary><see cref="Name"/>.</summary>
    public sealed override string ToString() => Name;
}
