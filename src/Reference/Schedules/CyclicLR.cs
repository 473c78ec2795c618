using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>Which count torch's CyclicLR hands its scale function: the cycle number or the iteration (<c>scale_mode</c>).</summary>
public enum CyclicScaleMode
{
    /// <summary>torch's <c>'cycle'</c>: <c>scale_fn(cycle)</c>, cycle = 1, 2, ... (triangular, triangular2).</summary>
    Cycle,
    /// <summary>torch's <c>'iterations'</c>: <c>scale_fn(e)</c> (exp_range).</summary>
    Iterations,
}

/// <summary>
/// PyTorch <c>CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma, scale_fn, scale_mode, cycle_momentum,
/// base_momentum, max_momentum)</c> as torch 1.13's get_lr computes it from the epoch e (Python doubles):
/// <code>
/// total = up + down;  ratio = up / total
/// cycle = floor(1 + e / total);  x = 1 + e / total - cycle
/// sf    = x &lt;= ratio ? x / ratio : (x - 1) / (ratio - 1)
/// lr    = base_lr + ((max_lr - base_lr) * sf) * scale(arg)
/// m     = max_m - ((max_m - base_m) * sf) * scale(arg)          (cycle_momentum)
/// </code>
/// arg is the cycle or e (<see cref="ScaleMode"/>); scale is 1 (triangular), <c>1/2^(arg-1)</c> (triangular2),
/// <c>gamma^arg</c> (exp_range), or <see cref="ScaleFunction"/>. bckenstler's formula is <see cref="CyclicalLearningRate"/>.
/// </summary>
public sealed record CyclicLR : ISchedule
{
    /// <summary>torch's <c>base_lr</c>: the lower bound, finite and &gt;= 0. Default 1e-3.</summary>
    public double BaseLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(BaseLearningRate)); } = 1e-3;

    /// <summary>torch's <c>max_lr</c>: the upper bound, finite and &gt;= 0. Default 6e-3.</summary>
    public double MaxLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MaxLearningRate)); } = 6e-3;

    /// <summary>torch's <c>step_size_up</c>: iterations from base to max, &gt; 0. Default 2000.</summary>
    public long StepSizeUp { get; init => field = Guard.Positive(value, nameof(StepSizeUp)); } = 2000;

    /// <summary>torch's <c>step_size_down</c>: iterations from max back to base, &gt; 0; null (default) means StepSizeUp.</summary>
    public long? StepSizeDown { get; init => field = value is long v ? Guard.Positive(v, nameof(StepSizeDown)) : null; }

    /// <summary>torch's <c>mode</c> (ignored when <see cref="ScaleFunction"/> is set). Default triangular.</summary>
    public CyclicalMode Mode { get; init; } = CyclicalMode.Triangular;

    /// <summary>torch's <c>gamma</c> of exp_range, finite and &gt;= 0. Default 1.</summary>
    public double Gamma { get; init => field = Guard.NonNegativeFinite(value, nameof(Gamma)); } = 1.0;

    /// <summary>torch's <c>scale_fn</c>: a custom amplitude of the cycle or iteration count (then <see cref="ScaleMode"/> applies). Default none.</summary>
    public Func<double, double>? ScaleFunction { get; init; }

    /// <summary>torch's <c>scale_mode</c> for <see cref="ScaleFunction"/>; the built-in modes fix their own (exp_range: iterations). Default cycle.</summary>
    public CyclicScaleMode ScaleMode { get; init; } = CyclicScaleMode.Cycle;

    /// <summary>torch's <c>cycle_momentum</c>: whether <see cref="MomentumAt"/> cycles (inversely to the lr). Default true.</summary>
    public bool CycleMomentum { get; init; } = true;

    /// <summary>torch's <c>base_momentum</c>, finite. Default 0.8.</summary>
    public double BaseMomentum { get; init => field = Guard.NonNegativeFinite(value, nameof(BaseMomentum)); } = 0.8;

    /// <summary>torch's <c>max_momentum</c>, finite. Default 0.9.</summary>
    public double MaxMomentum { get; init => field = Guard.NonNegativeFinite(value, nameof(MaxMomentum)); } = 0.9;

    /// <summary>The scale mode in effect: the custom one with a scale function, else the mode's own.</summary>
    public CyclicScaleMode EffectiveScaleMode => ScaleFunction is not null ? ScaleMode
        : Mode == CyclicalMode.ExpRange ? CyclicScaleMode.Iterations : CyclicScaleMode.Cycle;

    /// <summary>torch's scale functions: <c>1.</c>, <c>1 / (2. ** (x - 1))</c>, <c>gamma ** x</c>, or the custom one.</summary>
    public double Scale(double x) => ScaleFunction is { } f ? f(x) : Mode switch
    {
        CyclicalMode.Triangular => 1.0,
        CyclicalMode.Triangular2 => 1 / Math.Pow(2.0, x - 1),
        _ => Math.Pow(Gamma, x),
    };

    /// <summary>
    /// The position in the cycle at epoch e: the scale factor sf in [0, 1] and the scale function's argument, as torch
    /// computes them (shared by the lr and the momentum).
    /// </summary>
    public (double ScaleFactor, double ScaleArgument) Position(long e)
    {
        double up = StepSizeUp, down = StepSizeDown ?? StepSizeUp;
        double total = up + down, ratio = up / total;
        double cycle = Math.Floor(1 + e / total);
        double x = 1.0 + e / total - cycle;
        double sf = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        return (sf, EffectiveScaleMode == CyclicScaleMode.Cycle ? cycle : e);
    }

    /// <summary><c>base_lr + ((max_lr - base_lr) * sf) * scale(arg)</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        var (sf, arg) = Position(step);
        return BaseLearningRate + (MaxLearningRate - BaseLearningRate) * sf * Scale(arg);
    }

    /// <summary>The momentum (or Adam's beta1) torch sets at this step: <c>max_m - ((max_m - base_m) * sf) * scale(arg)</c>; throws without cycle_momentum.</summary>
    public double MomentumAt(long step)
    {
        StepGuard.Check(step);
        if (!CycleMomentum) throw new InvalidOperationException("CycleMomentum is false: this schedule does not set the momentum.");
        var (sf, arg) = Position(step);
        return MaxMomentum - (MaxMomentum - BaseMomentum) * sf * Scale(arg);
    }

    /// <inheritdoc/>
    public override string ToString() => ScheduleText.Format("cycliclr",
        ("lr", ScheduleText.Num(BaseLearningRate)), ("max", ScheduleText.Num(MaxLearningRate)), ("up", ScheduleText.Num(StepSizeUp)),
        ("down", ScheduleText.Num(StepSizeDown ?? StepSizeUp)),
        ("mode", ScaleFunction is not null ? "custom" : Mode switch { CyclicalMode.Triangular => "triangular", CyclicalMode.Triangular2 => "triangular2", _ => "exp_range" }),
        ("gamma", ScheduleText.Num(Gamma)));
}
