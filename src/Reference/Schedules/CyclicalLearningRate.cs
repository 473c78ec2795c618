using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>The amplitude policy of <see cref="CyclicalLearningRate"/> (Smith 2017, bckenstler/CLR).</summary>
public enum CyclicalMode
{
    /// <summary>Constant amplitude: scale = 1.</summary>
    Triangular,
    /// <summary>Amplitude halves every cycle: scale = 1 / 2^(cycle - 1).</summary>
    Triangular2,
    /// <summary>Amplitude decays per iteration: scale = gamma^iterations.</summary>
    ExpRange,
}

/// <summary>
/// Cyclical learning rates (Smith 2017, "Cyclical Learning Rates for Training Neural Networks"), as
/// bckenstler/CLR clr_callback.py computes them:
/// <code>
/// cycle = floor(1 + it / (2 * step_size))
/// x     = |it / step_size - 2 * cycle + 1|
/// lr    = base_lr + (max_lr - base_lr) * max(0, 1 - x) * scale
/// </code>
/// with scale = 1 (triangular), 1/2^(cycle-1) (triangular2) or gamma^it (exp_range).
/// A cycle is 2 * step_size iterations; lr starts at base_lr and peaks at max_lr after step_size.
/// </summary>
public sealed record CyclicalLearningRate : ISchedule
{
    /// <summary>base_lr, the bottom of every cycle (bckenstler <c>base_lr</c>, PyTorch CyclicLR <c>base_lr</c>), finite and &gt;= 0; default 0.001.</summary>
    public double BaseLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(BaseLearningRate)); } = 0.001;

    /// <summary>max_lr, the peak of the first cycle (<c>max_lr</c>), finite and &gt;= <see cref="BaseLearningRate"/>; default 0.006.</summary>
    public double MaxLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MaxLearningRate)); } = 0.006;

    /// <summary>Iterations in half a cycle (bckenstler default 2000).</summary>
    public long StepSize { get; init => field = Guard.Positive(value, nameof(StepSize)); } = 2000;

    /// <summary>The amplitude policy (bckenstler and PyTorch <c>mode</c>): triangular (default), triangular2 or exp_range.</summary>
    public CyclicalMode Mode { get; init; } = CyclicalMode.Triangular;

    /// <summary>exp_range's gamma in (0, 1].</summary>
    public double Gamma { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(Gamma)); } = 1.0;

    /// <summary>Throws unless <c>MaxLearningRate &gt;= BaseLearningRate</c>.</summary>
    public void Validate()
    {
        if (MaxLearningRate < BaseLearningRate)
            throw new ArgumentOutOfRangeException(nameof(MaxLearningRate), MaxLearningRate,
                $"{nameof(MaxLearningRate)} must be >= {nameof(BaseLearningRate)} = {ScheduleText.Num(BaseLearningRate)}, but was {ScheduleText.Num(MaxLearningRate)}.");
    }

    /// <summary>The clr_callback.py formula at iteration <paramref name="step"/>.</summary>
    /// <param name="step">0-based iteration, &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative, or MaxLearningRate &lt; BaseLearningRate.</exception>
    public double At(long step)
    {
        StepGuard.Check(step);
        Validate();
        double it = step, stepSize = StepSize;
        double cycle = Math.Floor(1.0 + it / (2.0 * stepSize));
        double x = Math.Abs(it / stepSize - 2.0 * cycle + 1.0);
        double scale = Mode switch
        {
            CyclicalMode.Triangular => 1.0,
            CyclicalMode.Triangular2 => 1.0 / Math.Pow(2.0, cycle - 1.0),
            _ => Math.Pow(Gamma, it),
        };
        return BaseLearningRate + (MaxLearningRate - BaseLearningRate) * Math.Max(0.0, 1.0 - x) * scale;
    }

    /// <summary>The text form <c>clr:lr=...,max=...,stepsize=...,mode=...,gamma=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("clr",
        ("lr", ScheduleText.Num(BaseLearningRate)), ("max", ScheduleText.Num(MaxLearningRate)),
        ("stepsize", ScheduleText.Num(StepSize)),
        ("mode", Mode switch { CyclicalMode.Triangular => "triangular", CyclicalMode.Triangular2 => "triangular2", _ => "exp_range" }),
        ("gamma", ScheduleText.Num(Gamma)));
}
