using System.Numerics;

namespace NetNumerics.Testing;

/// <summary>
/// Rounding-error bounds for the kernels whose result depends on the order of operations, derived from
/// N. J. Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., SIAM 2002 ("Higham" below), under
/// the standard model <c>fl(x op y) = (x op y)(1 + d), |d| &lt;= u</c> (Higham §2.2, eq. (2.4)) with round to nearest.
/// Every bound is absolute, against the exact result of the same inputs, and holds for ANY evaluation order and
/// with or without fused multiply-add; two implementations that both satisfy it agree within twice the bound
/// (triangle inequality). Products that underflow add at most half the smallest subnormal each (gradual underflow;
/// sums of subnormals are exact), which the bounds include, so they also hold on subnormal inputs. A bound that
/// overflows is +Infinity: it then allows anything, honestly.
/// </summary>
public static class Bounds
{
    /// <summary>The unit roundoff u = 2^-p of T: 2^-24 for float, 2^-53 for double, 2^-11 for Half (Higham §2.1).</summary>
    /// <exception cref="NotSupportedException">T is not float, double or Half.</exception>
    public static double UnitRoundoff<T>() where T : unmanaged, IFloatingPointIeee754<T> => Ulp.Width<T>() switch
    {
        32 => Math.ScaleB(1, -24),
        64 => Math.ScaleB(1, -53),
        _ => Math.ScaleB(1, -11),
    };

    /// <summary>
    /// <c>gamma_n = n u / (1 - n u)</c>: if each of n roundings has relative error at most u, their product is
    /// <c>1 + theta_n</c> with <c>|theta_n| &lt;= gamma_n</c> (Higham Lemma 3.1, §3.1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n is negative, u is not in (0, 1), or n u &gt;= 1 (the lemma then says nothing).</exception>
    public static double Gamma(long n, double u)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be >= 0, but was {n}.");
        if (!(u > 0 && u < 1)) throw new ArgumentOutOfRangeException(nameof(u), u, $"u must be in (0, 1), but was {u}.");
        double nu = n * u;
        if (nu >= 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"gamma_n needs n*u < 1, but n = {n} and u = {u} give {nu}.");
        return nu / (1 - nu);
    }

    /// <summary><c>gamma_n</c> with T's unit roundoff (see <see cref="Gamma(long, double)"/>).</summary>
    public static double Gamma<T>(long n) where T : unmanaged, IFloatingPointIeee754<T> => Gamma(n, UnitRoundoff<T>());

    /// <summary>
    /// A sum of n terms in any order: <c>|fl(sum) - sum| &lt;= gamma_(n-1) * sum|x_i|</c> (Higham §4.2, the bound for
    /// recursive summation, which holds for every order since each term passes through at most n - 1 additions).
    /// </summary>
    /// <param name="n">Number of terms.</param>
    /// <param name="sumOfAbs"><c>sum |x_i|</c>, or an upper bound on it.</param>
    /// <param name="u">Unit roundoff of the arithmetic.</param>
    public static double Sum(int n, double sumOfAbs, double u) => Gamma(Math.Max(n - 1, 0), u) * sumOfAbs;

    /// <summary>The <see cref="Sum(int, double, double)"/> bound for these terms, in T's arithmetic.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (T v in x) s += Math.Abs(double.CreateTruncating(v));
        return Sum(x.Length, Inflate(s, x.Length), UnitRoundoff<T>());
    }

    /// <summary>
    /// A dot product of length n in any order, with or without FMA:
    /// <c>|fl(x.y) - x.y| &lt;= gamma_n * sum|x_i y_i|</c> (Higham §3.1, eq. (3.5)), plus <c>n * lambda / 2</c> for
    /// products that underflow (lambda the smallest subnormal of the arithmetic).
    /// </summary>
    /// <param name="n">Length of the vectors.</param>
    /// <param name="sumOfAbsProducts"><c>sum |x_i y_i|</c>, or an upper bound on it.</param>
    /// <param name="u">Unit roundoff of the arithmetic.</param>
    /// <param name="smallestSubnormal">lambda: 2^-149 for float, 2^-1074 for double; 0 if nothing can underflow.</param>
    public static double Dot(int n, double sumOfAbsProducts, double u, double smallestSubnormal) =>
        Gamma(n, u) * sumOfAbsProducts + n * smallestSubnormal / 2;

    /// <summary>The <see cref="Dot(int, double, double, double)"/> bound for these vectors, in T's arithmetic.</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static double Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"y has length {y.Length}, but x has length {x.Length}; they must be equal.", nameof(y));
        return Dot(x.Length, Inflate(SumOfAbsProducts(x, y), x.Length), UnitRoundoff<T>(), SmallestSubnormal<T>());
    }

    /// <summary>
    /// One entry of a matrix product <c>C = C0 + A B</c> with inner dimension k, in any order (blocking, FMA):
    /// <c>|fl(c_ij) - c_ij| &lt;= gamma_k * sum_l |a_il b_lj|</c> when C0 = 0 (Higham §3.5, the componentwise bound
    /// <c>|C - fl(C)| &lt;= gamma_n |A||B|</c>), and <c>gamma_(k+1) * (|c0| + sum_l |a_il b_lj|)</c> when the product is
    /// accumulated into C0 (one more addition); plus <c>k * lambda / 2</c> for underflowing products.
    /// </summary>
    /// <param name="k">Inner dimension.</param>
    /// <param name="sumOfAbsProducts"><c>sum_l |a_il b_lj|</c>, or an upper bound on it.</param>
    /// <param name="absC0"><c>|c0|</c>, the value accumulated into; 0 for a plain product.</param>
    /// <param name="u">Unit roundoff of the arithmetic.</param>
    /// <param name="smallestSubnormal">lambda, as in <see cref="Dot(int, double, double, double)"/>.</param>
    public static double GemmEntry(int k, double sumOfAbsProducts, double absC0, double u, double smallestSubnormal) =>
        (absC0 == 0 ? Gamma(k, u) * sumOfAbsProducts : Gamma(k + 1, u) * (absC0 + sumOfAbsProducts)) + k * smallestSubnormal / 2;

    /// <summary>The <see cref="GemmEntry(int, double, double, double, double)"/> bound for row a of A, column b of B and the initial c0.</summary>
    /// <exception cref="ArgumentException">aRow and bColumn differ in length.</exception>
    public static double GemmEntry<T>(ReadOnlySpan<T> aRow, ReadOnlySpan<T> bColumn, T c0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (aRow.Length != bColumn.Length)
            throw new ArgumentException($"bColumn has length {bColumn.Length}, but aRow has length {aRow.Length}; they must be equal.", nameof(bColumn));
        return GemmEntry(aRow.Length, Inflate(SumOfAbsProducts(aRow, bColumn), aRow.Length), Math.Abs(double.CreateTruncating(c0)),
            UnitRoundoff<T>(), SmallestSubnormal<T>());
    }

    /// <summary>
    /// Relative bound rho for the shifted softmax <c>y_i = exp(x_i - m) / sum_j exp(x_j - m)</c>, <c>m = max x</c>
    /// (the algorithm analysed by Blanchard, Higham and Higham, "Accurately computing the log-sum-exp and softmax
    /// functions", IMA J. Numer. Anal. 41(4), 2021), built from Higham's model: the subtraction's rounding moves
    /// the exponent by at most <c>spread * u</c> and exp adds <paramref name="expRelativeError"/>, so each term is
    /// within <c>eta = exp(spread u)(1 + e_exp) - 1</c>; the sum of n positive terms adds gamma_(n-1) (Higham §4.2) and
    /// the division u: <c>|fl(y_i) - y_i| &lt;= rho y_i</c> with
    /// <c>rho = (1 + eta)(1 + u) / (1 - zeta) - 1</c>, <c>zeta = (1 + eta)(1 + gamma_(n-1)) - 1</c>.
    /// Valid while no exp underflows (use <see cref="Softmax{T}"/> for the absolute bound that covers underflow).
    /// </summary>
    /// <param name="n">Number of logits.</param>
    /// <param name="spread"><c>max_j (m - x_j)</c>, the largest shifted magnitude.</param>
    /// <param name="expRelativeError">Relative error of the exp used: <c>2 k u</c> for an exp within k ULP.</param>
    /// <param name="u">Unit roundoff of the arithmetic.</param>
    public static double SoftmaxRelative(int n, double spread, double expRelativeError, double u)
    {
        double eta = Math.Exp(spread * u) * (1 + expRelativeError) - 1;
        double zeta = (1 + eta) * (1 + Gamma(Math.Max(n - 1, 0), u)) - 1;
        return zeta >= 1 ? double.PositiveInfinity : (1 + eta) * (1 + u) / (1 - zeta) - 1;
    }

    /// <summary>
    /// Absolute bounds for each output of the shifted softmax of these logits in T's arithmetic (see
    /// <see cref="SoftmaxRelative"/>): <c>bound[i] = rho * y_i + 2 (n + 2) lambda</c>, with y_i the softmax evaluated in
    /// double (relative error near 1e-15, absorbed by a 1e-12 margin) and the absolute term covering exps and a quotient
    /// that underflow (lambda the smallest subnormal of T).
    /// </summary>
    /// <param name="logits">The inputs x (finite).</param>
    /// <param name="expRelativeError">Relative error of the exp used: <c>2 k u</c> for an exp within k ULP.</param>
    /// <param name="bound">Receives one bound per logit.</param>
    /// <exception cref="ArgumentException">bound is not as long as logits, or a logit is not finite.</exception>
    public static void Softmax<T>(ReadOnlySpan<T> logits, double expRelativeError, Span<double> bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bound.Length != logits.Length)
            throw new ArgumentException($"bound has length {bound.Length}, but logits has length {logits.Length}; they must be equal.", nameof(bound));
        if (logits.Length == 0) return;
        double m = double.NegativeInfinity, lo = double.PositiveInfinity;
        foreach (T v in logits)
        {
            double d = double.CreateTruncating(v);
            if (!double.IsFinite(d)) throw new ArgumentException($"logits must be finite, but one was {d}.", nameof(logits));
            m = Math.Max(m, d); lo = Math.Min(lo, d);
        }
        double u = UnitRoundoff<T>();
        double rho = SoftmaxRelative(logits.Length, m - lo, expRelativeError, u);
        double s = 0;
        foreach (T v in logits) s += Math.Exp(double.CreateTruncating(v) - m);
        double absolute = 2.0 * (logits.Length + 2) * SmallestSubnormal<T>();
        for (int i = 0; i < logits.Length; i++)
            bound[i] = rho * (Math.Exp(double.CreateTruncating(logits[i]) - m) / s) * (1 + 1e-12) + absolute;
    }

    /// <summary>The smallest positive subnormal of T (lambda in the underflow terms): 2^-149 for float, 2^-1074 for double, 2^-24 for Half.</summary>
    public static double SmallestSubnormal<T>() where T : unmanaged, IFloatingPointIeee754<T> => double.CreateTruncating(T.Epsilon);

    static double SumOfAbsProducts<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Abs(double.CreateTruncating(x[i]) * double.CreateTruncating(y[i]));
        return s;
    }

    /// <summary>A sum of n non-negative doubles evaluated in double, raised by its own rounding bound so it stays an upper bound.</summary>
    static double Inflate(double sum, int n) => sum * (1 + 2 * Gamma(n + 1, Math.ScaleB(1, -53)));
}
