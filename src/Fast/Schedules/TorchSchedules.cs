using NetNumerics.Reference.Schedules;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

// torch's chainable (recursive) schedulers on the Fast path: the same per-step formula as the Reference record
// (its Chain, the spec), from a cursor, so the bits are the Reference's and torch's.

/// <summary>
/// A torch chainable schedule: the lr at epoch e is <c>Chain(e, lr at e - 1)</c> from <c>First</c> at epoch 0. A cursor
/// keeps the last epoch reached, so steps taken in order cost one Chain each (the Reference's At costs O(t)), a step
/// behind the cursor restarts from 0, and a range fill walks once. Same operations in the same order as the Reference
/// record: the same bits. Thread-safe.
/// </summary>
public abstract class ChainedSchedule(ISchedule spec) : RangeSchedule(spec)
{
    readonly Lock _gate = new();
    long _epoch = -1;
    double _lr;

    /// <summary>The lr at epoch 0 (after torch's constructor).</summary>
    protected abstract double First { get; }

    /// <summary>One torch <c>step()</c>: the lr at epoch e from the lr at e - 1 (e &gt;= 1); the Reference record's own formula.</summary>
    protected abstract double Chain(long e, double lr);

    /// <inheritdoc/>
    protected override double Value(long step)
    {
        lock (_gate)
        {
            if (_epoch < 0 || step < _epoch) (_epoch, _lr) = (0, First);
            while (_epoch < step) _lr = Chain(++_epoch, _lr);
            return _lr;
        }
    }

    /// <inheritdoc/>
    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        double lr = Value(firstStep);
        destination[0] = lr;
        for (int i = 1; i < destination.Length; i++) destination[i] = lr = Chain(firstStep + i, lr);
    }
}

/// <summary><see cref="ExponentialLR"/> with <see cref="ExponentialLR.Chainable"/>: <c>lr = lr * gamma</c> each step, torch's bits.</summary>
public sealed class FastChainedExponentialLR(ExponentialLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="CosineAnnealing"/> with <see cref="CosineAnnealing.Chainable"/>: torch's recursion, torch's bits.</summary>
public sealed class FastChainedCosineAnnealing(CosineAnnealing spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="StepLR"/>: <c>lr = lr * gamma</c> at every multiple of step_size.</summary>
public sealed class FastStepLR(StepLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="LinearLR"/>: from <c>lr0*start_factor</c>, torch's ratio per step until total_iters.</summary>
public sealed class FastLinearLR(LinearLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate * spec.StartFactor;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="ConstantLR"/>: <c>lr0*factor</c>, then <c>lr * (1/factor)</c> at total_iters.</summary>
public sealed class FastConstantLR(ConstantLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate * spec.Factor;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="PolynomialLR"/>: torch's ratio of consecutive polynomial values per step until total_iters.</summary>
public sealed class FastPolynomialLR(PolynomialLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary><see cref="MultiplicativeLR"/>: <c>lr = lr * f(e)</c> each step.</summary>
public sealed class FastMultiplicativeLR(MultiplicativeLR spec) : ChainedSchedule(spec)
{
    /// <inheritdoc/>
    protected override double First => spec.InitialLearningRate;
    /// <inheritdoc/>
    protected override double Chain(long e, double lr) => spec.Chain(e, lr);
}

/// <summary>
/// <see cref="CyclicLR"/> (torch's closed form from the epoch) with its momentum: the cycle position and scale from the
/// Reference record (the spec's per-step scalars), the same two expressions per element.
/// </summary>
public sealed class FastCyclicLR(CyclicLR spec) : RangeSchedule(spec)
{
    /// <inheritdoc/>
    protected override double Value(long step)
    {
        var (sf, arg) = spec.Position(step);
        return spec.BaseLearningRate + (spec.MaxLearningRate - spec.BaseLearningRate) * sf * spec.Scale(arg);
    }

    /// <summary>The momentum torch sets at this step (see <see cref="CyclicLR.MomentumAt"/>).</summary>
    public double MomentumAt(long step)
    {
        Guard.NonNegative(step, "step");
        if (!spec.CycleMomentum) throw new InvalidOperationException("CycleMomentum is false: this schedule does not set the momentum.");
        var (sf, arg) = spec.Position(step);
        return spec.MaxMomentum - (spec.MaxMomentum - spec.BaseMomentum) * sf * spec.Scale(arg);
    }
}
