using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// Inverse square root decay with linear warm-up, the Transformer's schedule (Vaswani et al. 2017, <i>Attention Is All You
/// Need</i>, section 5.3: <c>lrate = d^-0.5 * min(n^-0.5, n * W^-1.5)</c>) in fairseq's normalisation
/// (<c>fairseq/optim/lr_scheduler/inverse_square_root_schedule.py</c>, <c>warmup_init_lr = 0</c>): the peak is lr itself,
/// reached at step W. With t the number of updates applied so far (0-based step):
/// <code>
/// t &lt; W:      lr * (t / W)          linear warm-up from 0
/// otherwise:  lr * sqrt(W / t)      = lr * sqrt(W) * t^-0.5, fairseq's decay_factor * num_updates^-0.5
/// </code>
/// Vaswani's rate is this schedule with <c>lr = (d*W)^-0.5</c> (factor out <c>W^-0.5</c>: <c>min(n^-0.5, n W^-1.5) =
/// W^-0.5 min(sqrt(W/n), n/W)</c>). Written as <c>sqrt(W/t)</c> rather than <c>t^-0.5</c> so both phases give exactly
/// <c>lr</c> at t = W (W/W = 1, sqrt(1) = 1) and every value is a few correctly rounded operations (the Fast twin
/// vectorizes them with the same bits); the warm-up never decreases and the decay never increases, bit for bit.
/// </summary>
public sealed record InverseSqrtDecay : ISchedule
{
    /// <summary>The peak learning rate (at step W), finite and &gt;= 0. Default 1e-3.</summary>
    public double LearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(LearningRate)); } = 1e-3;

    /// <summary>W &gt; 0, the warm-up length (fairseq <c>warmup_updates</c>, default 4000; Vaswani et al. used 4000). Default 4000.</summary>
    public long WarmupSteps { get; init => field = Guard.Positive(value, nameof(WarmupSteps)); } = 4000;

    /// <summary>The learning rate at step t (0-based).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double t = step, w = WarmupSteps;
        return t < w ? LearningRate * (t / w) : LearningRate * Math.Sqrt(w / t);
    }

    /// <summary><c>invsqrt:lr=..,warmup=..</c>, read back by ScheduleParser.</summary>
    public override string ToString() => ScheduleText.Format("invsqrt",
        ("lr", ScheduleText.Num(LearningRate)), ("warmup", ScheduleText.Num(WarmupSteps)));
}
