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
    /// <summary>PyTorch <c>max_lr</c>, the peak, finite and &gt;= 0; default 0.1. The cycle starts at max/DivFactor.</summary>
    public double MaxLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MaxLearningRate)); } = 0.1;

    /// <summary>PyTorch <c>total_steps</c>, &gt; 0: the last valid step; default 1000.</summary>
    public long TotalSteps { get; init => field = Guard.Positive(value, nameof(TotalSteps)); } = 1000;

    /// <summary>Fraction of the cycle spent increasing, in (0, 1): every phase must last more than 0 steps.</summary>
    public double PctStart { get; init => field = Guard.UnitInterval(value, nameof(PctStart)); } = 0.3;

    /// <summary>PyTorch <c>anneal_strategy</c>: cosine (default) or linear.</summary>
    public AnnealStrategy Anneal { get; init; } = AnnealStrategy.Cos;

    /// <summary>PyTorch <c>div_factor</c>, &gt; 0: the initial rate is max/DivFactor; default 25.</summary>
    public double DivFactor { get; init => field = Guard.PositiveFinite(value, nameof(DivFactor)); } = 25.0;

    /// <summary>PyTorch <c>final_div_factor</c>, &gt; 0: the final rate is initial/FinalDivFactor; default 1e4.</summary>
    public double FinalDivFactor { get; init => field = Guard.PositiveFinite(value, nameof(FinalDivFactor)); } = 1e4;

    /// <summary>PyTorch <c>three_phase</c>: go back down to the initial rate before annealing to the minimum (fastai's form); default false.</summary>
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

    /// <summary>PyTorch <c>_annealing_cos</c>: <c>end + (start - end)/2 * (cos(pi*pct) + 1)</c>.</summary>
    /// <param name="start">The value at pct = 0.</param>
    /// <param name="end">The value at pct = 1.</param>
    /// <param name="pct">Fraction of the phase done, in [0, 1].</param>
    public static double AnnealCos(double start, double end, double pct)
    {
        double cosOut = Math.Cos(Math.PI * pct) + 1.0;
        return end + (start - end) / 2.0 * cosOut;
    }

    /// <summary>PyTorch <c>_annealing_linear</c>: <c>(end - start)*pct + start</c>.</summary>
    /// <param name="start">The value at pct = 0.</param>
    /// <param name="end">The value at pct = 1.</param>
    /// <param name="pct">Fraction of the phase done, in [0, 1].</param>
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

    /// <summary>The text form <c>onecycle:lr=...,total=...,pct=...,anneal=...,div=...,finaldiv=...,threephase=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("onecycle",
        ("lr", ScheduleText.Num(MaxLearningRate)), ("total", ScheduleText.Num(TotalSteps)),
        ("pct", ScheduleText.Num(PctStart)), ("anneal", Anneal == AnnealStrategy.Cos ? "cos" : "linear"),
        ("div", ScheduleText.Num(DivFactor)), ("finaldiv", ScheduleText.Num(FinalDivFactor)),
        ("threephase", ScheduleText.Bool(ThreePhase)));
}
