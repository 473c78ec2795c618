using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>PolynomialLR(total_iters, power)</c>: <c>lr0 * (1 - e/total)^power</c> until total_iters, then 0, computed
/// as torch's chainable get_lr does: <c>e = 0 or e &gt; total: lr</c>, else
/// <c>lr = lr * ((1 - e/total) / (1 - (e-1)/total))^power</c> (Math.Pow, glibc's pow, as CPython's <c>**</c>).
/// Keras' closed form is <see cref="PolynomialDecay"/>.
/// </summary>
public sealed record PolynomialLR : ISchedule
{
    /// <summary>The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>torch's <c>total_iters</c>: epochs of the decay, &gt; 0. Default 5.</summary>
    public long TotalIters { get; init => field = Guard.Positive(value, nameof(TotalIters)); } = 5;

    /// <summary>torch's <c>power</c>, finite and &gt;= 0. Default 1.</summary>
    public double Power { get; init => field = Guard.NonNegativeFinite(value, nameof(Power)); } = 1.0;

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr)
    {
        if (e > TotalIters) return lr;
        double total = TotalIters;
        return lr * Math.Pow((1.0 - e / total) / (1.0 - (e - 1) / total), Power);
    }

    /// <summary>Runs torch's recursion from lr0 over epochs 1..step. O(step).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }

    /// <inheritdoc/>
    public override string ToString() => ScheduleText.Format("polylr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("total", ScheduleText.Num(TotalIters)), ("power", ScheduleText.Num(Power)));
}
