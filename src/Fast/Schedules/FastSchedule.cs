using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

/// <summary>Builds the fast evaluator of a Reference schedule record.</summary>
public static class FastSchedule
{
    /// <summary>
    /// The <see cref="RangeSchedule"/> for <paramref name="spec"/>: closed form with O(1) random access where
    /// one exists, and a range fill. Unknown ISchedule implementations are evaluated with their own At.
    /// </summary>
    public static RangeSchedule From(ISchedule spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            RangeSchedule already => already,
            ConstantLearningRate s => new FastConstant(s),
            TimeBasedDecay s => new FastTimeBasedDecay(s),
            CumulativeTimeDecay s => new FastCumulativeTimeDecay(s),
            StepDecay s => new FastStepDecay(s),
            NaturalExponentialDecay s => new FastNaturalExponentialDecay(s),
            ExponentialDecay s => new FastExponentialDecay(s),
            ExponentialLR s => s.Chainable ? new FastChainedExponentialLR(s) : new FastExponentialLR(s),
            LinearDecay s => new FastLinearDecay(s),
            InverseTimeDecay s => new FastInverseTimeDecay(s),
            PolynomialDecay s => new FastPolynomialDecay(s),
            PiecewiseConstantDecay s => new FastPiecewiseConstantDecay(s),
            MultiStepDecay s => new FastMultiStepDecay(s),
            CosineDecay s => new FastCosineDecay(s),
            CosineAnnealing s => s.Chainable ? new FastChainedCosineAnnealing(s) : new FastCosineAnnealing(s),
            StepLR s => new FastStepLR(s),
            LinearLR s => new FastLinearLR(s),
            ConstantLR s => new FastConstantLR(s),
            PolynomialLR s => new FastPolynomialLR(s),
            MultiplicativeLR s => new FastMultiplicativeLR(s),
            CyclicLR s => new FastCyclicLR(s),
            CosineWarmRestarts s => new FastCosineWarmRestarts(s),
            LinearWarmup s => new FastLinearWarmup(s),
            OneCycle s => new FastOneCycle(s),
            CyclicalLearningRate s => new FastCyclicalLearningRate(s),
            WarmupStableDecay s => new FastWarmupStableDecay(s),
            InverseSqrtDecay s => new FastInverseSqrtDecay(s),
            JoinedSchedule s => new FastJoinedSchedule(s),
            ProductSchedule s => new FastProductSchedule(s),
            _ => new FastAnySchedule(spec),
        };
    }

    /// <summary>Extension form: <c>spec.Fast()</c>.</summary>
    public static RangeSchedule Fast(this ISchedule spec) => From(spec);
}
