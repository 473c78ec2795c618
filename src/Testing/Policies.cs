namespace NetNumerics.Testing;

/// <summary>
/// How a comparison treats NaN. The default everywhere in the kit (<see cref="NumericAssert"/>, <see cref="Ulp.Distance{T}"/>,
/// <see cref="KernelCheckOptions{T}.Nan"/>) is <see cref="AnyNanEqual"/>; <see cref="PayloadExact"/> is opt-in.
/// </summary>
/// <remarks>
/// Why: when two NaN operands meet (<c>NaN_a + NaN_b</c>, <c>max(NaN_a, NaN_b)</c>), IEEE 754-2019 §6.2.3 only says the
/// result is one of the input NaNs, not which; x86 returns the first operand, and the JIT may order the operands of a
/// commutative operation differently in vector and scalar code. So two implementations that perform exactly the same
/// operations in the same order give NaN at exactly the same places, but not always the same NaN bits: the payload is
/// unspecified, and this library's own Reference documents it as such. Every non-NaN value is still compared bit for
/// bit (or to the ULP distance asked for), and a NaN against a number always fails. Ask for <see cref="PayloadExact"/>
/// where a single NaN can reach each operation and must come out unchanged (a copy, a clamp, a serializer).
/// </remarks>
public enum NanPolicy
{
    /// <summary>The default. Any NaN equals any NaN (distance 0), whatever its sign, payload or quiet/signalling bit; a NaN is infinitely far from every number.</summary>
    AnyNanEqual,

    /// <summary>Opt-in. A NaN equals only a NaN with the same bits (sign and payload); any other pair involving a NaN is infinitely far apart.</summary>
    PayloadExact,
}

/// <summary>How a comparison treats the two zeros.</summary>
public enum SignedZeroPolicy
{
    /// <summary>-0 and +0 are the same point (distance 0), as in numpy's <c>nulp_diff</c> and IEEE 754 equality.</summary>
    Equal,

    /// <summary>-0 and +0 are one ULP apart, so a kernel that loses the sign of a zero is caught.</summary>
    Distinct,
}
