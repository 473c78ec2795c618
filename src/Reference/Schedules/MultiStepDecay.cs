using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>MultiStepLR(milestones, gamma)</c>: the learning rate is multiplied by gamma each time
/// the epoch reaches a milestone (a milestone listed c times multiplies by gamma^c at once).
/// </summary>
public sealed record MultiStepDecay : ISchedule
{
    /// <summary>lr0, the rate before the first milestone (PyTorch: the optimizer's lr), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>Epochs at which lr drops, each &gt; 0 (any order; repeats allowed, as PyTorch's Counter).</summary>
    public IReadOnlyList<long> Milestones
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Milestones));
            for (int i = 0; i < value.Count; i++) Guard.Positive(value[i], $"{nameof(Milestones)}[{i}]");
            field = value.ToArray();
        }
    } = [];

    /// <summary>PyTorch <c>gamma</c>, the factor applied at each milestone, in (0, 1]; default 0.1.</summary>
    public double Gamma { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(Gamma)); } = 0.1;

    /// <summary>
    /// Recursive, as PyTorch's get_lr: <c>lr = lr0; for e in 1..t: if e is a milestone (c times):
    /// lr = lr * gamma^c</c>. O(t * milestones).
    /// </summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long e = 1; e <= step; e++)
        {
            int c = 0;
            foreach (long m in Milestones) if (m == e) c++;
            if (c > 0) lr = lr * Math.Pow(Gamma, c);
        }
        return lr;
    }

    /// <summary>The text form <c>multistep:lr=...,milestones=a/b/...,gamma=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("multistep",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("milestones", ScheduleText.List(Milestones)),
        ("gamma", ScheduleText.Num(Gamma)));
}
