using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>LinearLR(start_factor, end_factor, total_iters)</c>: the lr moves linearly from <c>lr0*start_factor</c> to
/// <c>lr0*end_factor</c> over total_iters epochs, factors of the optimizer's lr, not absolute rates. Chainable, as torch's
/// get_lr: <c>e = 0: lr = lr0*start</c>; <c>e &gt; total: lr</c>; else
/// <c>lr = lr * (1 + (end - start) / (total*start + (e - 1)*(end - start)))</c>.
/// </summary>
public sealed record LinearLR : ISchedule
{
    /// <summary>The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>torch's <c>start_factor</c>, in (0, 1]. Default 1/3.</summary>
    public double StartFactor { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(StartFactor)); } = 1.0 / 3;

    /// <summary>torch's <c>end_factor</c>, in [0, 1]. Default 1.</summary>
    public double EndFactor
    {
        get;
        init => field = value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(EndFactor), value, $"{nameof(EndFactor)} must be in [0, 1], but was {ScheduleText.Num(value)}.");
    } = 1.0;

    /// <summary>torch's <c>total_iters</c>: epochs of the ramp, &gt; 0. Default 5.</summary>
    public long TotalIters { get; init => field = Guard.Positive(value, nameof(TotalIters)); } = 5;

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr) => e > TotalIters ? lr
        : lr * (1.0 + (EndFactor - StartFactor) / (TotalIters * StartFactor + (e - 1) * (EndFactor - StartFactor)));

    /// <summary>Runs torch's recursion from <c>lr0*start</c> over epochs 1..step. O(step).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate * StartFactor;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }

    /// <inheritdoc/>
    public override string ToString() => ScheduleText.Format("linearlr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("start", ScheduleText.Num(StartFactor)), ("end", ScheduleText.Num(EndFactor)),
        ("total", ScheduleText.Num(TotalIters)));
}
