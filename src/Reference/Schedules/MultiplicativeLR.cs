using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>MultiplicativeLR(lr_lambda)</c>: each <c>step()</c> to epoch e &gt; 0 does <c>lr = lr * f(e)</c>, from lr0.
/// Each lr is checked: a negative or non-finite one throws, naming the epoch.
/// </summary>
public sealed record MultiplicativeLR : ISchedule
{
    /// <summary>A schedule that multiplies lr0 by <paramref name="factor"/>(e) at every epoch e &gt;= 1.</summary>
    public MultiplicativeLR(double initialLearningRate, Func<long, double> factor, string name = "multiplicative")
    {
        ArgumentNullException.ThrowIfNull(factor);
        InitialLearningRate = Guard.NonNegativeFinite(initialLearningRate, nameof(initialLearningRate));
        Factor = factor;
        Name = name;
    }

    /// <summary>The optimizer's initial lr (torch's base lr).</summary>
    public double InitialLearningRate { get; }

    /// <summary>torch's <c>lr_lambda</c>: the factor applied at epoch e.</summary>
    public Func<long, double> Factor { get; }

    /// <summary>A name for messages and ToString.</summary>
    public string Name { get; }

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr) => FactorChecks.Rate(lr * Factor(e), Name, e);

    /// <summary>Runs torch's recursion from lr0 over epochs 1..step. O(step).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
