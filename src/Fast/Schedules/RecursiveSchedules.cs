using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// Schedules whose Reference is a recursion over steps.

/// <summary>
/// <see cref="CumulativeTimeDecay"/>: <c>lr0 * prod_{i=0..e} 1/(1 + d*i)</c>. No elementary closed form
/// (it is a ratio of Gamma functions) would round the same way, so At runs the Reference's product
/// (O(e), same bits) and the range fill runs it once up to firstStep, then one multiplication per element.
/// </summary>
internal sealed class FastCumulativeTimeDecay(CumulativeTimeDecay spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.At(step);

    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        double lr = spec.At(firstStep), d = spec.Decay;
        destination[0] = lr;
        for (int i = 1; i < destination.Length; i++)
        {
            long e = firstStep + i;
            lr = lr * (1.0 / (1.0 + d * e));
            destination[i] = lr;
        }
    }
}

/// <summary>
/// <see cref="ExponentialLR"/> in closed form <c>lr0 * gamma^t</c> (Math.Pow), O(1), where the Reference
/// multiplies t times. They differ by rounding; the bound is derived and asserted in
/// tests/Properties/Schedules/RecursiveVersusClosedForm.cs.
/// </summary>
internal sealed class FastExponentialLR(ExponentialLR spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => spec.InitialLearningRate * Math.Pow(spec.Gamma, step);
}

/// <summary>
/// <see cref="CosineAnnealing"/> in PyTorch's closed form (_get_closed_form_lr)
/// <c>eta_min + (base - eta_min) * (1 + cos(pi t / T)) / 2</c>, O(1), where the Reference runs PyTorch's
/// recursion. They differ by rounding; bound in tests/Properties/Schedules/RecursiveVersusClosedForm.cs.
/// </summary>
internal sealed class FastCosineAnnealing(CosineAnnealing spec) : RangeSchedule(spec)
{
    protected override double Value(long step)
    {
        double etaMin = spec.MinLearningRate, tMax = spec.TMax;
        return etaMin + (spec.InitialLearningRate - etaMin) * (1.0 + Math.Cos(Math.PI * step / tMax)) / 2.0;
    }
}

/// <summary>
/// <see cref="CosineWarmRestarts"/>: the restart index, T_cur and T_i found by subtracting whole periods
/// (a division when T_mult = 1, else O(log t) periods), the same integers the Reference's step-by-step
/// walk reaches, then the Reference's own value formula: same bits. The range fill walks the counters.
/// </summary>
internal sealed class FastCosineWarmRestarts(CosineWarmRestarts spec) : RangeSchedule(spec)
{
    (long Restart, long TCur, long TI) Locate(long step)
    {
        long t0 = spec.FirstPeriod, mult = spec.PeriodMultiplier;
        if (mult == 1) return (step / t0, step % t0, t0);
        long restart = 0, tCur = step, tI = t0;
        while (tCur >= tI)
        {
            tCur -= tI;
            tI = checked(tI * mult);
            restart++;
        }
        return (restart, tCur, tI);
    }

    protected override double Value(long step)
    {
        var (restart, tCur, tI) = Locate(step);
        return spec.Value(restart, tCur, tI);
    }

    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        var (restart, tCur, tI) = Locate(firstStep);
        for (int i = 0; i < destination.Length; i++)
        {
            if (i > 0 && ++tCur >= tI)
            {
                tCur -= tI;
                tI = checked(tI * spec.PeriodMultiplier);
                restart++;
            }
            destination[i] = spec.Value(restart, tCur, tI);
        }
    }
}
