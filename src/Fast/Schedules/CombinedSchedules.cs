using NetNumerics.Reference.Schedules;
using System.Buffers;
using System.Numerics.Tensors;
using NetNumerics.Schedules;

namespace NetNumerics.Fast.Schedules;

/// <summary><see cref="JoinedSchedule"/>: each segment of the range is filled by its own schedule at its local steps.</summary>
internal sealed class FastJoinedSchedule : RangeSchedule
{
    readonly JoinedSchedule _spec;
    readonly RangeSchedule[] _parts;

    public FastJoinedSchedule(JoinedSchedule spec) : base(spec)
    {
        _spec = spec;
        _parts = spec.Schedules.Select(FastSchedule.From).ToArray();
    }

    protected override double Value(long step)
    {
        var (i, local) = _spec.Locate(step);
        return _parts[i].At(local);
    }

    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            long t = firstStep + done;
            var (i, local) = _spec.Locate(t);
            long segmentEnd = i < _spec.Boundaries.Count ? _spec.Boundaries[i] : long.MaxValue;
            int n = (int)Math.Min(destination.Length - done, segmentEnd - t);
            _parts[i].Fill(local, destination.Slice(done, n));
            done += n;
        }
    }
}

/// <summary><see cref="ProductSchedule"/>: fill the first factor, multiply in the others left to right (same order, same bits).</summary>
internal sealed class FastProductSchedule : RangeSchedule
{
    readonly RangeSchedule[] _factors;

    public FastProductSchedule(ProductSchedule spec) : base(spec) =>
        _factors = spec.Factors.Select(FastSchedule.From).ToArray();

    protected override double Value(long step)
    {
        double lr = _factors[0].At(step);
        for (int i = 1; i < _factors.Length; i++) lr = lr * _factors[i].At(step);
        return lr;
    }

    protected override void FillChecked(long firstStep, Span<double> destination)
    {
        _factors[0].Fill(firstStep, destination);
        if (_factors.Length == 1) return;
        double[] rented = ArrayPool<double>.Shared.Rent(destination.Length);
        try
        {
            Span<double> other = rented.AsSpan(0, destination.Length);
            for (int i = 1; i < _factors.Length; i++)
            {
                _factors[i].Fill(firstStep, other);
                TensorPrimitives.Multiply(destination, other, destination);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}

/// <summary>Any other ISchedule (a <see cref="FunctionSchedule"/>, a user's class): its At per element.</summary>
internal sealed class FastAnySchedule(ISchedule spec) : RangeSchedule(spec)
{
    protected override double Value(long step) => Spec.At(step);
}
