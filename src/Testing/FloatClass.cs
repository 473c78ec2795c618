namespace NetNumerics.Testing;

/// <summary>The IEEE 754 classes of a binary floating-point value (each of either sign).</summary>
public enum FloatClass
{
    /// <summary>A normal number: biased exponent neither 0 nor all ones.</summary>
    Normal,

    /// <summary>A subnormal number: biased exponent 0, fraction not 0.</summary>
    Subnormal,

    /// <summary>+0 or -0.</summary>
    Zero,

    /// <summary>+Infinity or -Infinity.</summary>
    Infinity,

    /// <summary>A quiet NaN: exponent all ones, top fraction bit set, any payload in the rest.</summary>
    QuietNaN,

    /// <summary>A signalling NaN: exponent all ones, top fraction bit clear, a non-zero payload.</summary>
    SignalingNaN,
}
