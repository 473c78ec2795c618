using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>The shape of <see cref="WarmupStableDecay"/>'s final phase, as a function g of the cooldown fraction x in [0, 1].</summary>
public enum CooldownForm
{
    /// <summary><c>g(x) = sqrt(x)</c>, i.e. lr times <c>1 - sqrt(x)</c>: the "(1-sqrt)" cooldown of Hägele et al. 2024
    /// (arXiv:2405.18392, section 3), which they find better than linear. Default.</summary>
    OneMinusSqrt = 0,

    /// <summary><c>g(x) = x</c>: the linear cooldown (Hägele et al. 2024; Hu et al. 2024 compare it too).</summary>
    Linear = 1,
}

/// <summary>
/// Warmup-stable-decay (WSD; Hu et al. 2024, <i>MiniCPM</i>, arXiv:2404.06395, section 4.1), with the cooldown forms of
/// Hägele et al. 2024 (<i>Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations</i>, arXiv:2405.18392).
/// With W warm-up, S stable and D decay steps, closed form:
/// <code>
/// t &lt; W:          lr * (t / W)                              linear warm-up from 0
/// t &lt; W + S:      lr                                        stable
/// otherwise:      x = min((t - (W + S)) / D, 1)
///                 lr - (lr - min) * g(x)                    g(x) = sqrt(x) (1-sqrt) or x (linear), then min from t = W + S + D on
/// </code>
/// <c>lr - (lr - min)*g(x)</c> equals the papers' <c>min + (lr - min)*(1 - g(x))</c> in exact arithmetic; written this way
/// the boundaries are exact where the formula allows it: the warm-up reaches <c>lr*(W/W) = lr</c>, the cooldown starts at
/// <c>lr - (lr - min)*0 = lr</c>, and it ends at <c>lr - fl(lr - min)</c>, which is min exactly when min = 0 or min &gt;= lr/2
/// (Sterbenz) and within one rounding of lr (u*lr, u = 2^-53) otherwise. Every phase is monotone bit for bit: each
/// operation is correctly rounded, and rounding preserves order.
/// </summary>
public sealed record WarmupStableDecay : ISchedule
{
    /// <summary>The peak (stable) learning rate, finite and &gt;= 0. Default 0.1.</summary>
    public double LearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(LearningRate)); } = 0.1;

    /// <summary>W &gt;= 0: steps of linear warm-up from 0 (0 = start at lr). Default 0.</summary>
    public long WarmupSteps { get; init => field = Guard.NonNegative(value, nameof(WarmupSteps)); }

    /// <summary>S &gt;= 0: steps at lr after the warm-up. Default 800.</summary>
    public long StableSteps { get; init => field = Guard.NonNegative(value, nameof(StableSteps)); } = 800;

    /// <summary>D &gt; 0: steps of cooldown from lr to <see cref="MinLearningRate"/>. Default 200 (Hägele et al.'s 20 % of the run).</summary>
    public long DecaySteps { get; init => field = Guard.Positive(value, nameof(DecaySteps)); } = 200;

    /// <summary>The shape of the cooldown. Default <see cref="CooldownForm.OneMinusSqrt"/>.</summary>
    public CooldownForm Form
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Form), value, $"Form must be OneMinusSqrt or Linear, but was {(int)value}.");
    }

    /// <summary>The learning rate after the cooldown, in [0, <see cref="LearningRate"/>]. Default 0.</summary>
    public double MinLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MinLearningRate)); }

    /// <summary>Steps are counted exactly in double only below 2^53; W + S + D must stay there.</summary>
    public const long MaxTotalSteps = 1L << 53;

    /// <summary>Throws naming the option when <see cref="MinLearningRate"/> exceeds <see cref="LearningRate"/> or the phases
    /// together reach past <see cref="MaxTotalSteps"/>.</summary>
    public void Validate()
    {
        if (MinLearningRate > LearningRate)
            throw new ArgumentException(
                $"MinLearningRate ({ScheduleText.Num(MinLearningRate)}) must not exceed LearningRate ({ScheduleText.Num(LearningRate)}): the cooldown goes down.", nameof(MinLearningRate));
        if (WarmupSteps > MaxTotalSteps - StableSteps || WarmupSteps + StableSteps > MaxTotalSteps - DecaySteps)
            throw new ArgumentException(
                $"WarmupSteps + StableSteps + DecaySteps ({WarmupSteps} + {StableSteps} + {DecaySteps}) must be at most 2^53 = {MaxTotalSteps}.", nameof(DecaySteps));
    }

    /// <summary>The learning rate at step t (0-based), by the phase t falls in.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        Validate();
        double t = step, w = WarmupSteps, stableEnd = (double)WarmupSteps + StableSteps, lr = LearningRate;
        if (t < w) return lr * (t / w);
        if (t < stableEnd) return lr;
        double x = Math.Min((t - stableEnd) / DecaySteps, 1.0);
        double g = Form == CooldownForm.OneMinusSqrt ? Math.Sqrt(x) : x;
        return lr - (lr - MinLearningRate) * g;
    }

    /// <summary><c>wsd:lr=..,warmup=..,stable=..,decay=..,form=sqrt|linear,min=..</c>, read back by ScheduleParser.</summary>
    public override string ToString() => ScheduleText.Format("wsd",
        ("lr", ScheduleText.Num(LearningRate)), ("warmup", ScheduleText.Num(WarmupSteps)), ("stable", ScheduleText.Num(StableSteps)),
        ("decay", ScheduleText.Num(DecaySteps)), ("form", Form == CooldownForm.OneMinusSqrt ? "sqrt" : "linear"),
        ("min", ScheduleText.Num(MinLearningRate)));
}
