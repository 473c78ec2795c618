using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>StepLR(step_size, gamma)</c> in its chainable form (torch/optim/lr_scheduler.py get_lr): each <c>step()</c>
/// that brings the epoch e to a multiple of step_size does <c>lr = lr * gamma</c>. A running product, so its bits are
/// torch's and differ from <see cref="StepDecay"/>'s <c>lr0 * drop^floor(e/every)</c> (Math.Pow) by rounding.
/// </summary>
public sealed record StepLR : ISchedule
{
    /// <summary>The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>torch's <c>step_size</c>: epochs between drops, &gt; 0.</summary>
    public long StepSize { get; init => field = Guard.Positive(value, nameof(StepSize)); } = 30;

    /// <summary>torch's <c>gamma</c>: the factor of each drop, finite and &gt;= 0. Default 0.1.</summary>
    public double Gamma { get; init => field = Guard.NonNegativeFinite(value, nameof(Gamma)); } = 0.1;

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr) => e % StepSize != 0 ? lr : lr * Gamma;

    /// <summary>Runs torch's recursion from lr0 over epochs 1..step. O(step).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }

    /// <inheritdoc/>
    public override string ToString() => ScheduleText.Format("steplr",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("stepsize", ScheduleText.Num(StepSize)), ("gamma", ScheduleText.Num(Gamma)));
}
