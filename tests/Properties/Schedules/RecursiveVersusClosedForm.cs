using NetNumerics.Reference.Schedules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Schedules;

/// <summary>
/// Where the Reference follows a recursive source (PyTorch's step()) and Fast uses the closed form, the two
/// differ by rounding. Each bound below is derived in the comment next to its test (u = 2^-53, the unit
/// roundoff of double; gamma_n = n u / (1 - n u), Higham, Accuracy and Stability, Lemma 3.1: Bounds.Gamma).
/// </summary>
public class RecursiveVersusClosedForm
{
    static readonly double U = Bounds.UnitRoundoff<double>();

    /// <summary>
    /// ExponentialLR. Reference: t products lr = fl(lr * g), so ref = lr0 g^t (1 + theta_t), |theta_t| &lt;= gamma_t.
    /// Fast: fl(lr0 * Math.Pow(g, t)); assuming Math.Pow within 1 ulp (relative error &lt;= 2u; glibc's pow,
    /// which .NET calls on Linux, is documented below 1 ulp), fast = lr0 g^t (1 + e_p)(1 + d), |e_p| &lt;= 2u, |d| &lt;= u.
    /// So |fast - ref| &lt;= lr0 g^t (gamma_t + 3u + 2u^2) &lt;= |ref| (gamma_t + 3u + 2u^2) / (1 - gamma_t).
    /// Valid while nothing underflows: the generator keeps lr0 g^t above 1e-250.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property ExponentialLR_closed_form_within_derived_bound() =>
        Prop.ForAll((from s in ScheduleGens.ExponentialLr from frac in ScheduleGens.Uniform(0, 1) select (s, frac)).ToArbitrary(), x =>
        {
            var s = x.s;
            // t up to 20000, but lr0 g^t >= 1e-250 (no underflow): t <= (250 + log10 lr0) / -log10 g.
            double tNormal = s.Gamma == 1 ? 20_000 : (250 + Math.Log10(s.InitialLearningRate)) / -Math.Log10(s.Gamma);
            long t = (long)(x.frac * Math.Min(20_000, tNormal));
            double r = s.At(t), f = FastSchedule.From(s).At(t);
            double bound = Math.Abs(r) * (Bounds.Gamma(t, U) + 3 * U + 2 * U * U) / (1 - Bounds.Gamma(t, U));
            return (Math.Abs(f - r) <= bound).Label($"{s} t={t}: ref {r:R} fast {f:R} |diff| {Math.Abs(f - r):R} bound {bound:R}");
        });

    /// <summary>
    /// CosineAnnealing, 0 &lt;= t &lt;= T (the first half period, where the special restart branch is not taken).
    /// Both forms evaluate the same c_j = cos(fl(fl(pi j)/T)) and a_j = fl(1 + c_j) bit for bit (same expression),
    /// so only +, -, *, / roundings differ. Let B = fl(base - eta), Dhat_j = B a_j / 2 (exact), rho_j = a_j / a_{j-1}.
    /// Reference: x_j = fl(lr_{j-1} - eta), D_j = fl(fl(a_j / a_{j-1}) x_j), lr_j = fl(D_j + eta), x_1 = B = Dhat_0.
    /// With X_j = x_j - Dhat_{j-1}: D_j - Dhat_j = rho_j X_j + rho_j x_j theta_2 (|theta_2| &lt;= gamma_2) and
    /// |x_{j+1} - D_j| &lt;= u|D_j| + u(1+u)(|D_j| + eta), so with rho_j &lt;= 1 (a_j non-increasing on [0, T], checked
    /// below) and |D_j|, |x_j| &lt;= M: |X_{j+1}| &lt;= |X_j| + M(4u + 5u^2) + u(1+u) eta, and
    /// |lr_t - (Dhat_t + eta)| &lt;= t [M(4u + 5u^2) + u(1+u) eta] + M gamma_2 + u (M + eta).
    /// Fast: fl(eta + fl(fl(B a_t) / 2)) is within u(2+u) Dhat_t + u eta of Dhat_t + eta.
    /// Sum, for t &gt;= 1: |ref - fast| &lt;= (t + 1) u (5M + 2 eta). M = (1 + 1e-6)(B + eta) holds while the
    /// accumulated error stays below 1e-6 (B + eta), i.e. for t &lt; 1e9; T &lt;= 2000 here.
    /// </summary>
    [Property(MaxTest = 100)]
    public Property CosineAnnealing_closed_form_within_derived_bound_over_first_half_period() =>
        Prop.ForAll((from s in ScheduleGens.CosineAnnealing from frac in ScheduleGens.Uniform(0, 1) select (s, frac)).ToArbitrary(), x =>
        {
            var s = x.s;
            long t = (long)Math.Round(x.frac * s.TMax);
            double tMax = s.TMax;
            for (long j = 1; j <= t; j++)   // precondition of the derivation: rho_j <= 1
            {
                double aj = 1.0 + Math.Cos(Math.PI * j / tMax), aj1 = 1.0 + Math.Cos(Math.PI * (j - 1) / tMax);
                if (aj > aj1) return false.Label($"a_{j} > a_{j - 1}: Math.Cos not monotone on [0, pi] for T = {s.TMax}");
            }
            double eta = s.MinLearningRate, b = s.InitialLearningRate - eta, m = (1 + 1e-6) * (b + eta);
            double r = s.At(t), f = FastSchedule.From(s).At(t);
            double bound = (t + 1) * U * (5 * m + 2 * eta);
            return (Math.Abs(f - r) <= bound).Label($"{s} t={t}: ref {r:R} fast {f:R} |diff| {Math.Abs(f - r):R} bound {bound:R}");
        });

    /// <summary>
    /// CosineAnnealing, T &lt; t &lt;= 2T (the rising half, after PyTorch's special restart branch). With a_j as above:
    /// a_T = fl(1 + cos(fl(fl(pi T)/T))) = 0 exactly (checked), so the Reference's lr_T = fl(0 + eta) = eta: the
    /// recursion starts afresh. At T + 1 PyTorch takes the special branch lr = eta + fl(fl(B b)/2) with
    /// b = fl(1 - cos(fl(pi/T))) where the closed form uses a_{T+1}: a model difference B |b - a_{T+1}|/2, computed.
    /// Then, for j = T+2..t, the general step as before; with rho_j = a_j / a_{j-1} the errors are no longer damped
    /// but amplified: the product of rho over j+1..t telescopes exactly to a_t / a_j (up to ~4T^2/pi^2).
    /// With L = M(4u + 5u^2) + u(1+u) eta (the per-step error derived above) and M &gt;= |D_j|, |x_j|:
    /// |X_{T+2}| &lt;= B |b - a_{T+1}|/2 + 4u B b/2 + 2u eta (two roundings in lr_{T+1}, one in x_{T+2});
    /// |ref - (Dhat_t + eta)| &lt;= (a_t/a_{T+1}) |X_{T+2}| + L sum_{j=T+2}^{t-1} a_t/a_j + M gamma_2 (1 + gamma_2) + u (M + eta);
    /// the closed form adds u(2+u) M + u eta. M = (1 + 1e-3)(B + eta) is self-consistent when the bound is below
    /// 1e-3 (B + eta), asserted too (T &lt;= 1000 keeps it near 1e-9).
    /// </summary>
    [Property(MaxTest = 100)]
    public Property CosineAnnealing_closed_form_within_derived_bound_over_the_rising_half_period() =>
        Prop.ForAll((from s in ScheduleGens.CosineAnnealing from frac in ScheduleGens.Uniform(0, 1)
                     select (s: s with { TMax = 1 + s.TMax / 2 }, frac)).ToArbitrary(), x =>
        {
            var s = x.s;
            long T = s.TMax, t = T + 1 + (long)Math.Round(x.frac * (T - 1));
            double tMax = T;
            double A(long j) => 1.0 + Math.Cos(Math.PI * j / tMax);
            if (A(T) != 0) return false.Label($"a_T = {A(T):R} != 0 for T = {T}: the derivation's restart premise fails");
            double eta = s.MinLearningRate, b = s.InitialLearningRate - eta, m = (1 + 1e-3) * (b + eta);
            double bSpecial = 1.0 - Math.Cos(Math.PI / tMax);
            double x0 = b * Math.Abs(bSpecial - A(T + 1)) / 2 + 4 * U * b * bSpecial / 2 + 2 * U * eta;
            double l = m * (4 * U + 5 * U * U) + U * (1 + U) * eta;
            double sum = 0;
            for (long j = T + 2; j <= t - 1; j++) sum += A(t) / A(j);
            double g2 = Bounds.Gamma(2, U);   // gamma_2 (Higham, Lemma 3.1)
            double bound = A(t) / A(T + 1) * x0 + l * sum + m * g2 * (1 + g2) + U * (m + eta) + U * (2 + U) * m + U * eta;
            double r = s.At(t), f = FastSchedule.From(s).At(t);
            return (Math.Abs(f - r) <= bound && bound <= 1e-3 * (b + eta))
                .Label($"{s} t={t}: ref {r:R} fast {f:R} |diff| {Math.Abs(f - r):R} bound {bound:R}");
        });

    /// <summary>
    /// The bound above is needed: the recursion really leaves the closed form's bits (PyTorch's own check,
    /// test_lrscheduler.py _test_against_closed_form, only asks for atol 1e-5).
    /// </summary>
    [Fact]
    public void CosineAnnealing_recursion_really_differs_from_closed_form_somewhere()
    {
        var s = new CosineAnnealing { InitialLearningRate = 0.1, TMax = 1000, MinLearningRate = 0.001 };
        var fast = FastSchedule.From(s);
        int differing = 0;
        for (long t = 0; t <= 1000; t += 10)
            if (Ulp.Distance(s.At(t), fast.At(t), NanPolicy.PayloadExact, SignedZeroPolicy.Distinct) != 0) differing++;
        Assert.True(differing > 0, "expected the recursive and the closed form to differ in the last bits at some step");
    }
}
