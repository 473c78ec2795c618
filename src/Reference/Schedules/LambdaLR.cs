using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>LambdaLR(lr_lambda)</c>: <c>lr = lr0 * f(e)</c>, a factor of the optimizer's lr (where
/// <see cref="FunctionSchedule"/> returns absolute rates). Each lr is checked: a negative or non-finite one throws,
/// naming the epoch.
/// </summary>
public sealed record LambdaLR : ISchedule
{
    /// <summary>A schedule of lr0 times the factor <paramref name="factor"/> gives for each epoch.</summary>
    public LambdaLR(double initialLearningRate, Func<long, double> factor, string name = "lambda")
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

    /// <summary><c>lr0 * f(step)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        return FactorChecks.Rate(InitialLearningRate * Factor(step), Name, step);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The check every factor-based schedule applies to the rate it returns.</summary>
static class FactorChecks
{
    public static double Rate(double lr, string name, long step) => double.IsFinite(lr) && lr >= 0 ? lr
        : throw new InvalidOperationException(
            $"The schedule '{name}' gave learning rate {ScheduleText.Num(lr)} at step {step}; a learning rate must be a finite number >= 0.");
}
