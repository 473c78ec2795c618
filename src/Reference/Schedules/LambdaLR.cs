using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>LambdaLR(lr_lambda)</c>: <c>lr = lr0 * f(e)</c>, a factor of the optimizer's lr (where
/// <see cref="FunctionSchedule"/> returns absolute rates). Each lr is checked: a negative or non-finite one throws,
/// naming the epoch.
/// </summary>
public sealed record LambdaLR : FactorSchedule
{
    /// <summary>A schedule of lr0 times the factor <paramref name="factor"/> gives for each epoch.</summary>
    /// <param name="initialLearningRate">The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</param>
    /// <param name="factor">torch's <c>lr_lambda</c>.</param>
    /// <param name="name">A name for messages and ToString.</param>
    public LambdaLR(double initialLearningRate, Func<long, double> factor, string name = "lambda") : base(initialLearningRate, factor, name) { }

    /// <summary><c>lr0 * f(step)</c>.</summary>
    public override double At(long step)
    {
        StepGuard.Check(step);
        return Checked(InitialLearningRate * Factor(step), step);
    }
}
