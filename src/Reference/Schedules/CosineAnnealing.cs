using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// PyTorch <c>CosineAnnealingLR(T_max, eta_min)</c> (torch/optim/lr_scheduler.py), evaluated the way
/// PyTorch's <c>step()</c> does: RECURSIVELY from the previous lr (get_lr):
/// <code>
/// t = 0:                          lr = base
/// (t - 1 - T) mod 2T == 0:        lr = lr + (base - eta_min) * (1 - cos(pi / T)) / 2
/// otherwise:                      lr = (1 + cos(pi t / T)) / (1 + cos(pi (t-1) / T)) * (lr - eta_min) + eta_min
/// </code>
/// Its closed form (PyTorch _get_closed_form_lr, and NetNumerics.Fast) is
/// <c>eta_min + (base - eta_min) * (1 + cos(pi t / T)) / 2</c>; the two differ by rounding
/// (pytorch#152081), bounded in tests/Properties/Schedules. Past T it keeps oscillating with period 2T, as PyTorch.
/// </summary>
public sealed record CosineAnnealing : ISchedule
{
    /// <summary>base, the rate at step 0 (PyTorch: the optimizer's lr), finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>T_max &gt; 0: half a period.</summary>
    public long TMax { get; init => field = Guard.Positive(value, nameof(TMax)); } = 100;

    /// <summary>eta_min &gt;= 0.</summary>
    public double MinLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MinLearningRate)); }

    /// <summary>Python's modulo (result has the sign of the divisor).</summary>
    static long PyMod(long a, long m) => ((a % m) + m) % m;

    /// <summary>Runs PyTorch's recursion t times. O(t).</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        double baseLr = InitialLearningRate, etaMin = MinLearningRate, tMax = TMax;
        double lr = baseLr;
        for (long e = 1; e <= step; e++)
        {
            if (PyMod(e - 1 - TMax, 2 * TMax) == 0)
                lr = lr + (baseLr - etaMin) * (1.0 - Math.Cos(Math.PI / tMax)) / 2.0;
            else
                lr = (1.0 + Math.Cos(Math.PI * e / tMax)) / (1.0 + Math.Cos(Math.PI * (e - 1) / tMax))
                     * (lr - etaMin) + etaMin;
        }
        return lr;
    }

    /// <summary>The text form <c>cosanneal:lr=...,tmax=...,min=...</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("cosanneal",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("tmax", ScheduleText.Num(TMax)),
        ("min", ScheduleText.Num(MinLearningRate)));
}
