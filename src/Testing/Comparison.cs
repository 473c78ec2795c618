using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetNumerics.Testing;

/// <summary>What a span comparison allows per element; one of three rules.</summary>
internal enum Rule { Bits, Ulps, Bound }

/// <summary>
/// The element-by-element comparison behind <see cref="NumericAssert"/> and <see cref="KernelCheck"/>: finds the first
/// failing index, counts the failures and the largest ULP distance, and writes the failure message.
/// </summary>
internal static class Comparison
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static string Show<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        $"{x.ToString(null, Inv)} ({Ulp.Hex(x)})";

    static string ShowDistance(ulong d) => d == Ulp.Infinite ? "infinite (NaN against a number, or NaN payloads differ)" : $"{d} ULP";

    /// <summary>True when the pair passes the rule.</summary>
    static bool Passes<T>(T e, T a, Rule rule, ulong maxUlps, double bound, NanPolicy nan, SignedZeroPolicy zero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (rule)
        {
            case Rule.Bits:
                if (T.IsNaN(e) && T.IsNaN(a) && nan == NanPolicy.AnyNanEqual) return true;
                return Ulp.Bits(e) == Ulp.Bits(a);
            case Rule.Ulps:
                return Ulp.Distance(e, a, nan, zero) <= maxUlps;
            default:
                if (T.IsNaN(e) || T.IsNaN(a)) return Ulp.Distance(e, a, nan) == 0;
                if (e == a) return true;   // equal infinities pass whatever the bound
                double diff = Math.Abs(double.CreateTruncating(a) - double.CreateTruncating(e));
                return diff <= bound;      // false for a NaN bound or an infinite difference
        }
    }

    /// <summary>Null when every element passes; otherwise the failure message.</summary>
    public static string? Check<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, Rule rule, ulong maxUlps,
        ReadOnlySpan<double> bounds, double bound, NanPolicy nan, SignedZeroPolicy zero, string assertion, string? label)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Check(expected, actual, rule, maxUlps, bounds, bound, nan, zero, assertion, label, out _);

    /// <summary>As above, and the first failing index (-1 when none, or when the lengths differ).</summary>
    public static string? Check<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, Rule rule, ulong maxUlps,
        ReadOnlySpan<double> bounds, double bound, NanPolicy nan, SignedZeroPolicy zero, string assertion, string? label, out int firstIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        firstIndex = -1;
        string what = label is null ? "" : $" for {label}";
        if (expected.Length != actual.Length)
            return $"{assertion} failed{what}: expected has {expected.Length} elements but actual has {actual.Length}.";
        if (rule == Rule.Bound && bounds.Length != 0 && bounds.Length != expected.Length)
            return $"{assertion} failed{what}: {bounds.Length} bounds given for {expected.Length} elements.";
        int first = -1, failures = 0, worst = -1;
        ulong worstDistance = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double b = bounds.Length != 0 ? bounds[i] : bound;
            if (Passes(expected[i], actual[i], rule, maxUlps, b, nan, zero)) continue;
            failures++;
            if (first < 0) first = i;
            ulong d = Ulp.Distance(expected[i], actual[i], nan, zero);
            if (worst < 0 || d > worstDistance) { worst = i; worstDistance = d; }
        }
        if (first < 0) return null;
        firstIndex = first;

        T ex = expected[first], ac = actual[first];
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{assertion} failed{what}: {failures} of {expected.Length} elements out of tolerance; first at index {first}:\n");
        sb.Append(CultureInfo.InvariantCulture, $"  expected {Show(ex)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  actual   {Show(ac)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  distance {ShowDistance(Ulp.Distance(ex, ac, nan, zero))}");
        switch (rule)
        {
            case Rule.Bits:
                sb.Append(CultureInfo.InvariantCulture, $"; allowed: identical bits (NaN {(nan == NanPolicy.AnyNanEqual ? "matches any NaN" : "payloads must match")})");
                break;
            case Rule.Ulps:
                sb.Append(CultureInfo.InvariantCulture, $"; allowed: {maxUlps} ULP (NaN {(nan == NanPolicy.AnyNanEqual ? "matches any NaN" : "payloads must match")}, -0 {(zero == SignedZeroPolicy.Equal ? "==" : "!=")} +0)");
                break;
            default:
                double b = bounds.Length != 0 ? bounds[first] : bound;
                double diff = Math.Abs(double.CreateTruncating(ac) - double.CreateTruncating(ex));
                sb.Append(CultureInfo.InvariantCulture, $"; |actual - expected| = {diff.ToString("R", Inv)}, bound {b.ToString("R", Inv)}");
                if (b > 0 && double.IsFinite(diff)) sb.Append(CultureInfo.InvariantCulture, $" ({(diff / b).ToString("G4", Inv)}x the bound)");
                break;
        }
        if (failures > 1 && worst != first)
            sb.Append(CultureInfo.InvariantCulture, $"\n  largest distance {ShowDistance(worstDistance)} at index {worst}: expected {Show(expected[worst])}, actual {Show(actual[worst])}");
        return sb.ToString();
    }
}
