using System.Globalization;

namespace NetNumerics.Schedules;

/// <summary>
/// The short text form every schedule prints with ToString(), e.g. <c>step:lr=0.1,drop=0.5,every=10</c>:
/// a name, a colon, comma-separated key=value pairs, lists separated by '/'. <see cref="T:NetNumerics.Reference.Schedules.ScheduleParser"/>
/// reads the same form back.
/// </summary>
internal static class ScheduleText
{
    public static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Bool(bool v) => v ? "true" : "false";
    public static string List(IReadOnlyList<long> xs) => string.Join('/', xs.Select(Num));
    public static string List(IReadOnlyList<double> xs) => string.Join('/', xs.Select(Num));

    public static string Format(string name, params (string Key, string Value)[] pairs) =>
        name + ":" + string.Join(',', pairs.Select(p => p.Key + "=" + p.Value));
}

/// <summary>Checks shared by every schedule's At.</summary>
internal static class StepGuard
{
    /// <summary>A step below 0 is an ArgumentOutOfRangeException naming "step".</summary>
    public static long Check(long step) => Guard.NonNegative(step, "step");
}
