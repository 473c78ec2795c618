using System.Numerics;

namespace NetNumerics.Properties.Testing;

/// <summary>
/// Exact sums and products of floats as integers in units of 2^-149 (every float is an integer multiple of it;
/// a product of two floats is a multiple of 2^-298): the ground truth the bound properties compare against.
/// </summary>
static class ExactArithmetic
{
    /// <summary>x * 2^149, exactly.</summary>
    public static BigInteger Scaled(float x)
    {
        if (x == 0) return BigInteger.Zero;
        int bits = BitConverter.SingleToInt32Bits(x);
        int exponent = (bits >> 23) & 0xFF;
        long fraction = bits & 0x7FFFFF;
        long significand = exponent == 0 ? fraction : fraction | 0x800000;   // value = significand * 2^(max(e,1) - 150)
        var v = new BigInteger(significand) << (Math.Max(exponent, 1) - 1);  // * 2^(e - 150 + 149)
        return bits < 0 ? -v : v;
    }

    /// <summary>The exact sum of the floats, in units of 2^-149.</summary>
    public static BigInteger Sum(ReadOnlySpan<float> x)
    {
        BigInteger s = 0;
        foreach (float v in x) s += Scaled(v);
        return s;
    }

    /// <summary>The exact dot product, in units of 2^-298.</summary>
    public static BigInteger Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        BigInteger s = 0;
        for (int i = 0; i < x.Length; i++) s += Scaled(x[i]) * Scaled(y[i]);
        return s;
    }

    /// <summary>True when |computed - exact| &lt;= bound, decided exactly (exact in units of 2^-scale; the bound rounded down to those units).</summary>
    public static bool Within(float computed, BigInteger exact, int scale, double bound)
    {
        BigInteger c = Scaled(computed) << (scale - 149);
        BigInteger error = BigInteger.Abs(c - exact);
        return error <= Units(bound, scale);
    }

    /// <summary>|computed - exact| as a double (rounded; for reporting and for ratios).</summary>
    public static double Error(float computed, BigInteger exact, int scale) =>
        Math.ScaleB((double)BigInteger.Abs((Scaled(computed) << (scale - 149)) - exact), -scale);

    /// <summary>floor(bound * 2^scale) for a finite non-negative bound.</summary>
    static BigInteger Units(double bound, int scale)
    {
        if (bound <= 0) return BigInteger.Zero;
        int e = Math.ILogB(bound);
        long m = (long)Math.ScaleB(bound, 52 - e);                 // bound = m * 2^(e - 52), m exact
        int shift = e - 52 + scale;
        return shift >= 0 ? new BigInteger(m) << shift : new BigInteger(m) >> -shift;
    }
}
