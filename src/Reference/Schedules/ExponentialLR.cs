using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>ExponentialLR(gamma)</c> (torch/optim/lr_scheduler.py): each <c>step()</c> does
/// <c>lr = lr * gamma</c>; its closed form is <c>lr0 * gamma^t</c>.
/// </summary>
public sealed record ExponentialLR : ISchedule
{
    /// <summary>lr0, the rate at step 0 (PyTorch: the optimizer's lr), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>Multiplier per step, in (0, 1].</summary>
    public double Gamma { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(Gamma)); } = 0.95;

    /// <summary>Recursive, as PyTorch's get_lr: <c>lr = lr0; repeat t times: lr = lr * gamma</c>. O(t).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long i = 1; i <= step; i++) lr = lr * Gamma;
        return lr;
    }

    /// <summary>The text form <c>explr:lr=...,gamma=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("explr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("gamma", ScheduleText.Num(Gamma)));
}
