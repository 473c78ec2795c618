namespace NetNumerics.Schedules;

/// <summary>
/// A learning-rate schedule: a pure function of the step (an epoch or an iteration index,
/// 0-based; the caller decides which). A step below 0 is an ArgumentOutOfRangeException.
/// </summary>
public interface ISchedule
{
    /// <summary>The learning rate at <paramref name="step"/>: finite and &gt;= 0. Pure: the same step always gives the same bits.</summary>
    /// <param name="step">0-based epoch or iteration, &gt;= 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative (or beyond the end of a schedule that has one, such as OneCycle).</exception>
    double At(long step);
}
