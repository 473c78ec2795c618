using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>ConstantLR(factor, total_iters)</c>: the optimizer's lr times factor until total_iters, then the lr back.
/// Chainable, as torch's get_lr: <c>e = 0: lr = lr0*factor</c>; <c>e == total: lr = lr * (1/factor)</c>; else lr.
/// </summary>
public sealed record ConstantLR : ISchedule
{
    /// <summary>The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>torch's <c>factor</c>, in (0, 1]. Default 1/3.</summary>
    public double Factor { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(Factor)); } = 1.0 / 3;

    /// <summary>torch's <c>total_iters</c>: epochs at the reduced lr, &gt;= 0. Default 5.</summary>
    public long TotalIters { get; init => field = Guard.NonNegative(value, nameof(TotalIters)); } = 5;

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr) => e != TotalIters ? lr : lr * (1.0 / Factor);

    /// <summary>Runs torch's recursion from <c>lr0*factor</c> over epochs 1..step. O(step).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate * Factor;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }

    /// <inheritdoc/>
    public override string ToString() => ScheduleText.Format("constantlr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("factor", ScheduleText.Num(Factor)), ("total", ScheduleText.Num(TotalIters)));
}
