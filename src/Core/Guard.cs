using System.Globalization;

namespace NetNumerics;

/// <summary>
/// Argument checks shared by every method. Each failure is an <see cref="ArgumentException"/>
/// (or <see cref="ArgumentOutOfRangeException"/>) whose message names the argument, the value it had
/// and what is allowed, so a caller never sees a crash deep inside a kernel or a silent NaN.
/// </summary>
internal static class Guard
{
    static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Finite and &gt;= 0 (learning rates, weight decay, momentum, factors).</summary>
    public static double NonNegativeFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be a finite number >= 0, but was {Show(value)}.");
        return value;
    }

    /// <summary>Finite and &gt; 0 (epsilon, step sizes, periods).</summary>
    public static double PositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be a finite number > 0, but was {Show(value)}.");
        return value;
    }

    /// <summary>In [0, 1) (betas, rho, momentum).</summary>
    public static double UnitInterval(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value >= 1)
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be in [0, 1), but was {Show(value)}.");
        return value;
    }

    /// <summary>In (0, 1] (decay factors such as step decay's drop).</summary>
    public static double UnitIntervalOpenZero(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0 || value > 1)
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be in (0, 1], but was {Show(value)}.");
        return value;
    }

    public static long NonNegative(long value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0, but was {value}.");
        return value;
    }

    public static long Positive(long value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0, but was {value}.");
        return value;
    }

    /// <summary>Two spans that must have the same length (parameters and gradients, say).</summary>
    public static void SameLength(int expected, string expectedName, int actual, string actualName)
    {
        if (expected != actual)
            throw new ArgumentException(
                $"{actualName} has length {actual}, but {expectedName} has length {expected}; they must be equal.",
                actualName);
    }
}
