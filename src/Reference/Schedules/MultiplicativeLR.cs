using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>MultiplicativeLR(lr_lambda)</c>: each <c>step()</c> to epoch e &gt; 0 does <c>lr = lr * f(e)</c>, from lr0.
/// Each lr is checked: a negative or non-finite one throws, naming the epoch.
/// </summary>
public sealed record MultiplicativeLR : FactorSchedule
{
    /// <summary>A schedule that multiplies lr0 by <paramref name="factor"/>(e) at every epoch e &gt;= 1.</summary>
    /// <param name="initialLearningRate">The optimizer's initial lr (torch's base lr), finite and &gt;= 0.</param>
    /// <param name="factor">torch's <c>lr_lambda</c>.</param>
    /// <param name="name">A name for messages and ToString.</param>
    public MultiplicativeLR(double initialLearningRate, Func<long, double> factor, string name = "multiplicative") : base(initialLearningRate, factor, name) { }

    /// <summary>One <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1).</summary>
    public double Chain(long e, double lr) => Checked(lr * Factor(e), e);

    /// <summary>Runs torch's recursion from lr0 over epochs 1..step. O(step).</summary>
    public override double At(long step)
    {
        StepGuard.Check(step);
        double lr = InitialLearningRate;
        for (long e = 1; e <= step; e++) lr = Chain(e, lr);
        return lr;
    }
}
