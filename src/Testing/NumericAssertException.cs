namespace NetNumerics.Testing;

/// <summary>
/// Thrown by <see cref="NumericAssert"/> and <see cref="KernelCheck"/> when values do not match. Any test framework
/// reports it as a failure; its message names the first failing index, both values in decimal and as hex bits,
/// their ULP distance and what was allowed.
/// </summary>
public sealed class NumericAssertException : Exception
{
    /// <summary>Creates the exception with the full failure message.</summary>
    public NumericAssertException(string message) : base(message) { }

    /// <summary>Creates the exception with the full failure message and the exception that caused it.</summary>
    public NumericAssertException(string message, Exception inner) : base(message, inner) { }
}
