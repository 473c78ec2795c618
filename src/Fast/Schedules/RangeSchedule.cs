using NetNumerics.Schedules;
namespace NetNumerics.Fast.Schedules;

/// <summary>
/// A schedule that also evaluates a whole range of steps at once:
/// <c>destination[i] = At(firstStep + i)</c>. Every implementation here returns the same bits as the
/// NetNumerics.Reference record it was built from, except where the Reference is recursive and this is a
/// closed form (ExponentialLR, CosineAnnealing): there the difference is bounded in tests/Properties/Schedules.
/// </summary>
public abstract class RangeSchedule : ISchedule
{
    /// <summary>Evaluates <paramref name="spec"/>; a subclass supplies the value (and, if it can, a faster range fill).</summary>
    /// <param name="spec">The schedule this evaluates, kept as <see cref="Spec"/>.</param>
    protected RangeSchedule(ISchedule spec) => Spec = spec;

    /// <summary>The Reference record (or any ISchedule) this evaluates.</summary>
    public ISchedule Spec { get; }

    /// <summary>The learning rate at <paramref name="step"/>: the same bits as <c>Spec.At(step)</c> except where the type summary says.</summary>
    /// <param name="step">0-based step, &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double At(long step) => Value(Guard.NonNegative(step, "step"));

    /// <summary>The value at a step already checked to be &gt;= 0.</summary>
    protected abstract double Value(long step);

    /// <summary><c>destination[i] = At(firstStep + i)</c>.</summary>
    public void Fill(long firstStep, Span<double> destination)
    {
        CheckRange(firstStep, destination.Length);
        if (destination.Length > 0) FillChecked(firstStep, destination);
    }

    /// <summary><c>destination[i] = (float)At(firstStep + i)</c>: the double value rounded once to float.</summary>
    public void Fill(long firstStep, Span<float> destination)
    {
        CheckRange(firstStep, destination.Length);
        Span<double> chunk = stackalloc double[256];
        for (int done = 0; done < destination.Length; done += chunk.Length)
        {
            int n = Math.Min(chunk.Length, destination.Length - done);
            FillChecked(firstStep + done, chunk[..n]);
            for (int i = 0; i < n; i++) destination[done + i] = (float)chunk[i];
        }
    }

    /// <summary><c>destination[i] = At(firstStep + i)</c> (array overload).</summary>
    public void Fill(long firstStep, double[] destination) => Fill(firstStep, destination.AsSpan());

    /// <summary><c>destination[i] = (float)At(firstStep + i)</c> (array overload).</summary>
    /// <param name="firstStep">The step of destination[0], &gt;= 0.</param>
    /// <param name="destination">Receives one value per step.</param>
    public void Fill(long firstStep, float[] destination) => Fill(firstStep, destination.AsSpan());

    /// <summary>The range, once checked. Default: one scalar <see cref="Value"/> per element.</summary>
    protected virtual void FillChecked(long firstStep, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Value(firstStep + i);
    }

    /// <summary>Checks a range before a fill: firstStep &gt;= 0 and firstStep + length - 1 representable; override to add the schedule's own end (OneCycle).</summary>
    /// <param name="firstStep">The first step asked for.</param>
    /// <param name="length">How many steps.</param>
    protected virtual void CheckRange(long firstStep, int length)
    {
        Guard.NonNegative(firstStep, nameof(firstStep));
        if (length > 0 && firstStep > long.MaxValue - length)
            throw new ArgumentOutOfRangeException(nameof(firstStep), firstStep,
                $"firstStep + destination length must stay <= {long.MaxValue}, but firstStep was {firstStep} and the length {length}.");
    }

    /// <summary>For piecewise-constant schedules: the first step after t whose value may differ from t's.</summary>
    protected virtual long RunEnd(long step) => step + 1;

    /// <summary>a + b for b &gt; 0, saturating at long.MaxValue.</summary>
    protected static long SafeAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>Fills runs of equal values (one <see cref="Value"/> per run, see <see cref="RunEnd"/>).</summary>
    protected void FillRuns(long firstStep, Span<double> destination)
    {
        int i = 0;
        while (i < destination.Length)
        {
            long t = firstStep + i;
            double v = Value(t);
            long end = RunEnd(t);
            int n = (int)Math.Min(destination.Length - i, end - t);
            destination.Slice(i, n).Fill(v);
            i += n;
        }
    }

    /// <summary>The text form of <see cref="Spec"/>.</summary>
    public override string ToString() => Spec.ToString() ?? GetType().Name;
}
