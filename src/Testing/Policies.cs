namespace NetNumerics.Testing;

/// <summary>How a comparison treats NaN.</summary>
public enum NanPolicy
{
    /// <summary>Any NaN equals any NaN (distance 0), whatever its sign, payload or quiet/signalling bit; a NaN is infinitely far from every number.</summary>
    AnyNanEqual,

    /// <summary>A NaN equals only a NaN with the same bits (sign and payload); any other pair involving a NaN is infinitely far apart.</summary>
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
