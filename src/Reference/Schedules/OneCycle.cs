using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>How <see cref="OneCycle"/> moves between a phase's start and end.</summary>
public enum AnnealStrategy
{
    /// <summary>PyTorch _annealing_cos: <c>end + (start - end) / 2 * (cos(pi * pct) + 1)</c>.</summary>
    Cos,
    /// <summary>PyTorch _annealing_linear: <c>(end - start) * pct + start</c>.</summary>
    Linear,
}

/// <summary>
/// PyTorch <c>OneCycleLR(max_lr, total_steps, pct_start=0.3, anneal_strategy='cos', div_factor=25,
/// final_div_factor=1e4, three_phase=False)</c> (Smith &amp; Topin 2018), learning rate only.
/// <c>initial = max/div</c>, <c>min = initial/final_div</c>. Two phases: initial→max until step
/// <c>pct*total - 1</c>, then max→min until <c>total - 1</c>. Three phases: initial→max until
/// <c>pct*total - 1</c>, max→initial until <c>2*pct*total - 2</c>, initial→min until <c>total - 1</c>.
/// In a phase from a to b: <c>pct = (t - a) / (b - a)</c>. As PyTorch, a step above total_steps is an error.
/// </summary>
public sealed record OneCycle : ISchedule
{
    public double MaxLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MaxLearningRate)); } = 0.1;

    public long TotalSteps { get; init => field = Guard.Positive(value, nameof(TotalSteps)); } = 1000;

    /// <summary>Fraction of the cycle spent increasing, in (0, 1): every phase must last more than 0 steps.</summary>
    public double PctStart { get; init => field = Guard.UnitInterval(value, nameof(PctStart)); } = 0.3;

    public AnnealStrategy Anneal { get; init; } = AnnealStrategy.Cos;

    public double DivFactor { get; init => field = Guard.PositiveFinite(value, nameof(DivFactor)); } = 25.0;

    public double FinalDivFactor { get; init => field = Guard.PositiveFinite(value, nameof(FinalDivFactor)); } = 1e4;

    public bool ThreePhase { get; init; }

    /// <summary>The phases as (end step, start lr, end lr), exactly as PyTorch builds them.</summary>
    public (double EndStep, double Start, double End)[] Phases()
    {
        double initial = MaxLearningRate / DivFactor;
        double min = initial / FinalDivFactor;
        double total = TotalSteps;
        return ThreePhase
            ? [(PctStart * total - 1, initial, MaxLearningRate),
               (2 * PctStart * total - 2, MaxLearningRate, initial),
               (total - 1, initial, min)]
            : [(PctStart * total - 1, initial, MaxLearningRate),
               (total - 1, MaxLearningRate, min)];
    }

    /// <summary>Throws unless every phase ends after it starts (else PyTorch divides 0 by 0).</summary>
    public void Validate()
    {
        double start = 0;
        foreach (var (end, _, _) in Phases())
        {
            if (!(end > start))
                throw new ArgumentOutOfRangeException(nameof(PctStart), PctStart,
                    $"{nameof(PctStart)} = {ScheduleText.Num(PctStart)} with {nameof(TotalSteps)} = {TotalSteps}" +
                    $"{(ThreePhase ? " (three phases)" : "")} gives a phase ending at step {ScheduleText.Num(end)} that does not end after its start {ScheduleText.Num(start)}; " +
                    "every phase must be at least one step long.");
            start = end;
        }
    }

    public static double AnnealCos(double start, double end, double pct)
    {
        double cosOut = Math.Cos(Math.PI * pct) + 1.0;
        return end + (start - end) / 2.0 * cosOut;
    }

    public static double AnnealLinear(double start, double end, double pct) => (end - start) * pct + start;

    /// <summary>PyTorch OneCycleLR.get_lr: the first phase whose end step is &gt;= t (or the last), then anneal.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        if (step > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"step must be <= {nameof(TotalSteps)} = {TotalSteps} for a one-cycle schedule, but was {step}.");
        Validate();
        var phases = Phases();
        double t = step, startStep = 0;
        for (int i = 0; i < phases.Length; i++)
        {
            var (endStep, start, end) = phases[i];
            if (t <= endStep || i == phases.Length - 1)
            {
                double pct = (t - startStep) / (endStep - startStep);
                return Anneal == AnnealStrategy.Cos ? AnnealCos(start, end, pct) : AnnealLinear(start, end, pct);
            }
            startStep = endStep;
        }
        throw new InvalidOperationException("unreachable: the last phase always matches");
    }

    public override string ToString() => ScheduleText.Format("onecycle",
        ("lr", ScheduleText.Num(MaxLearningRate)), ("total", ScheduleText.Num(TotalSteps)),
        ("pct", ScheduleText.Num(PctStart)), ("anneal", Anneal == AnnealStrategy.Cos ? "cos" : "linear"),
        ("div", ScheduleText.Num(DivFactor)), ("finaldiv", ScheduleText.Num(FinalDivFactor)),
        ("threephase", ScheduleText.Bool(ThreePhase)));
}
