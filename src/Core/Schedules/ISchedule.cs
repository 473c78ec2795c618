namespace NetNumerics.Schedules;

/// <summary>
/// A learning-rate schedule: a pure function of the step (an epoch or an iteration index,
/// 0-based; the caller decides which). A step below 0 is an ArgumentOutOfRangeException.
/// </summary>
public interface ISchedule
{
    double At(long step);
}
