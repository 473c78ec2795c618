using System.Numerics;
using NetNumerics.Optimizers;

namespace NetNumerics.Testing;

/// <summary>
/// Assertions over spans of float, double or Half, in the spirit of <c>torch.testing.assert_close</c> and numpy's
/// <c>assert_array_max_ulp</c>. Each throws a <see cref="NumericAssertException"/> whose message names the first
/// failing index, both values in decimal and as hex bits, their ULP distance and what was allowed (and, when
/// several elements fail, how many and where the largest distance is). Usable from any test framework and
/// inside FsCheck properties (a thrown exception fails the property with this message).
/// </summary>
public static class NumericAssert
{
#pragma warning disable RS0026   // span, single-value and OptimizerState overloads differ in their first two parameters, so no call is ambiguous; the NaN rule and label stay optional in each (as in xunit's Assert)
    /// <summary>
    /// Every element has the same bits: the same sign of zero, the same value, and NaN where the expected has NaN. By
    /// default (<see cref="NanPolicy.AnyNanEqual"/>) any NaN matches any NaN, because the payload that comes out when two
    /// NaNs meet is unspecified (see <see cref="NanPolicy"/>); pass <see cref="NanPolicy.PayloadExact"/> to require the
    /// same NaN bits too. Use it wherever both sides perform the same IEEE operations in the same order.
    /// </summary>
    public static void BitExact<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Throw(Comparison.Check(expected, actual, Rule.Bits, 0, default, 0, nan, SignedZeroPolicy.Distinct, "BitExact", label));

    /// <summary>One value has the same bits as another (see the span overload).</summary>
    public static void BitExact<T>(T expected, T actual, NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BitExact(new ReadOnlySpan<T>(in expected), new ReadOnlySpan<T>(in actual), nan, label);

    /// <summary>
    /// Two optimizer states are the same: optimizer name, step, slot names, and every slot bit for bit. The message
    /// names the slot and the first differing index. NaN as in the span overload (any NaN matches any NaN unless
    /// <see cref="NanPolicy.PayloadExact"/> is asked for).
    /// </summary>
    public static void BitExact<T>(OptimizerState<T> expected, OptimizerState<T> actual, NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        string what = label is null ? "" : $" for {label}";
        if (expected.Optimizer != actual.Optimizer || expected.Step != actual.Step || expected.Length != actual.Length
            || !expected.SlotNames.SequenceEqual(actual.SlotNames))
            throw new NumericAssertException(
                $"BitExact failed{what}: expected state '{expected.Optimizer}' step {expected.Step} length {expected.Length} slots [{string.Join(", ", expected.SlotNames)}], " +
                $"actual '{actual.Optimizer}' step {actual.Step} length {actual.Length} slots [{string.Join(", ", actual.SlotNames)}].");
        for (int s = 0; s < expected.SlotNames.Count; s++)
            BitExact<T>(expected.SlotAt(s).Span, actual.SlotAt(s).Span, nan,
                $"slot '{expected.SlotNames[s]}'{(label is null ? "" : " of " + label)}");
    }

    /// <summary>
    /// Every element is within <paramref name="maxUlps"/> units in the last place of the expected one
    /// (<see cref="Ulp.Distance{T}"/> under the given NaN and signed-zero policies).
    /// </summary>
    public static void WithinUlps<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, ulong maxUlps,
        NanPolicy nan = NanPolicy.AnyNanEqual, SignedZeroPolicy zero = SignedZeroPolicy.Equal, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Throw(Comparison.Check(expected, actual, Rule.Ulps, maxUlps, default, 0, nan, zero, $"WithinUlps({maxUlps})", label));

    /// <summary>One value is within <paramref name="maxUlps"/> of another (see the span overload).</summary>
    public static void WithinUlps<T>(T expected, T actual, ulong maxUlps,
        NanPolicy nan = NanPolicy.AnyNanEqual, SignedZeroPolicy zero = SignedZeroPolicy.Equal, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WithinUlps(new ReadOnlySpan<T>(in expected), new ReadOnlySpan<T>(in actual), maxUlps, nan, zero, label);

    /// <summary>
    /// Every element satisfies <c>|actual[i] - expected[i]| &lt;= bound[i]</c>, computed exactly enough in double
    /// (equal infinities pass; a NaN bound fails). Derive the bound (see <see cref="Bounds"/>), never tune it.
    /// </summary>
    public static void WithinBound<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, ReadOnlySpan<double> bound,
        NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bound.Length != expected.Length)
            throw new ArgumentException($"bound has {bound.Length} elements, but expected has {expected.Length}; give one bound per element.", nameof(bound));
        Throw(Comparison.Check(expected, actual, Rule.Bound, 0, bound, 0, nan, SignedZeroPolicy.Equal, "WithinBound", label));
    }

    /// <summary>Every element satisfies <c>|actual[i] - expected[i]| &lt;= bound</c> (one bound for all).</summary>
    public static void WithinBound<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double bound,
        NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Throw(Comparison.Check(expected, actual, Rule.Bound, 0, default, bound, nan, SignedZeroPolicy.Equal, "WithinBound", label));

    /// <summary><c>|actual - expected| &lt;= bound</c> for one value (a dot product or a norm, say).</summary>
    public static void WithinBound<T>(T expected, T actual, double bound, NanPolicy nan = NanPolicy.AnyNanEqual, string? label = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WithinBound(new ReadOnlySpan<T>(in expected), new ReadOnlySpan<T>(in actual), bound, nan, label);

#pragma warning restore RS0026

    static void Throw(string? message)
    {
        if (message is not null) throw new NumericAssertException(message);
    }
}
