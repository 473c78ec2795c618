using NetNumerics.Nn;
using NetNumerics.Reference.Nn.Layers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using static NetNumerics.Properties.Nn.NnCases;
using NetNumerics.Testing;

namespace NetNumerics.Properties.Nn;

/// <summary>
/// Finite-difference gradient checks of every Reference layer in double. For a layer L, a random upstream r and
/// f(x, theta) = sum_k r_k L(x, theta)_k, Backward(dy = r) must give df/dx and df/dtheta. Central differences
/// (f(v + h) - f(v - h)) / 2h with h = 2^-4 on inputs on the 2^-10 grid (so v +- h is exact).
/// Tolerance: conv, dense, flatten and dropout are affine in any single coordinate, and the ReLU / max-pool cases keep
/// every input at least 2h from a kink / from the other values of its window, so the difference quotient is exact in real
/// arithmetic; what remains is rounding: |fd - g| &lt;= gamma_N F_abs / h + gamma_N G_abs, where F_abs = sum |r| (|W| (|x| + h) + |b|)
/// bounds the terms of f, G_abs the terms of the analytic gradient (Backward on absolute values), and N the longest
/// summation (K + 1 terms of an output, plus the outputs summed in f).
/// </summary>
public class ReferenceGradientCheckProperties
{
    const double H = 1.0 / 16;

    static double F(ReferenceLayer<double> layer, double[] x, double[] r, int batch, ForwardMode mode)
    {
        var y = new double[batch * layer.Output.Length];
        layer.Forward(x, y, batch, mode);
        double f = 0;
        for (int k = 0; k < y.Length; k++) f += r[k] * y[k];
        return f;
    }

    /// <summary>Checks df/dx and df/dtheta at every coordinate; returns a label of the worst violation or null.</summary>
    static string? Check(LayerCase c, Func<Random, int, double[]> makeX, ForwardMode mode)
    {
        var rng = new Random(c.Seed);
        var layer = ReferenceLayer<double>.Create(c.Layer, 0, c.Input);
        foreach (var p in layer.Parameters) Grid(rng, p.Values.Length).CopyTo(p.Values, 0);
        var x = makeX(rng, c.Batch * c.Input.Length);
        var r = Grid(rng, c.Batch * layer.Output.Length);
        var y = new double[r.Length];
        layer.Forward(x, y, c.Batch, mode);
        var dx = new double[x.Length];
        layer.Backward(x, y, r, dx, c.Batch);
        var grads = layer.Parameters.Select(p => (double[])p.Gradients.Clone()).ToArray();

        // Absolute-value run for the bounds: |W|, |b|, |x| + h, |r|.
        var absLayer = ReferenceLayer<double>.Create(c.Layer, 0, c.Input);
        for (int i = 0; i < layer.Parameters.Count; i++) Abs(layer.Parameters[i].Values).CopyTo(absLayer.Parameters[i].Values, 0);
        var absX = x.Select(v => Math.Abs(v) + H).ToArray();
        var absR = Abs(r);
        double fAbs = F(absLayer, absX, absR, c.Batch, mode);
        var absDx = new double[x.Length];
        absLayer.Backward(absX, new double[r.Length], absR, absDx, c.Batch);
        int k = c.Layer is Conv2DSpec cs ? c.Input.Channels * cs.KernelHeight * cs.KernelWidth + cs.Filters * cs.KernelHeight * cs.KernelWidth
              : c.Layer is DenseSpec ? c.Input.Length + ((DenseSpec)c.Layer).Units : 1;
        int n = k + 1 + r.Length + c.Batch * c.Output.Length;
        double gamma = Bounds.Gamma(n, Bounds.UnitRoundoff<double>());

        string? Compare(string what, int i, double analytic, double gAbs, double fd)
        {
            double tol = gamma * fAbs / H + gamma * gAbs;
            return Math.Abs(fd - analytic) <= tol ? null : $"{what}[{i}]: analytic {analytic:R}, fd {fd:R}, tol {tol:R}";
        }

        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + H; double fp = F(layer, x, r, c.Batch, mode);
            x[i] = keep - H; double fm = F(layer, x, r, c.Batch, mode);
            x[i] = keep;
            if (Compare("dx", i, dx[i], absDx[i], (fp - fm) / (2 * H)) is { } bad) return bad;
        }
        for (int q = 0; q < layer.Parameters.Count; q++)
        {
            var v = layer.Parameters[q].Values;
            var absG = absLayer.Parameters[q].Gradients;
            for (int i = 0; i < v.Length; i++)
            {
                double keep = v[i];
                v[i] = keep + H; double fp = F(layer, x, r, c.Batch, mode);
                v[i] = keep - H; double fm = F(layer, x, r, c.Batch, mode);
                v[i] = keep;
                if (Compare(layer.Parameters[q].Name, i, grads[q][i], absG[i], (fp - fm) / (2 * H)) is { } bad) return bad;
            }
        }
        return null;
    }

    static Property Holds(LayerCase c, string? failure) => (failure is null).Label($"{c}: {failure}");

    [Property(MaxTest = 60)]
    public Property Conv2D_gradients_match_central_differences() =>
        Prop.ForAll(Conv().ToArbitrary(), c => Holds(c, Check(c, Grid, ForwardMode.Inference)));

    [Property(MaxTest = 60)]
    public Property Dense_gradients_match_central_differences() =>
        Prop.ForAll(Dense().ToArbitrary(), c => Holds(c, Check(c, Grid, ForwardMode.Inference)));

    /// <summary>Inputs are distinct multiples of 4h, so a +-h move never changes which element of a window is the maximum.</summary>
    [Property(MaxTest = 60)]
    public Property MaxPool2D_gradients_match_central_differences() =>
        Prop.ForAll(Pool().ToArbitrary(), c => Holds(c, Check(c,
            (rng, n) => Enumerable.Range(-n / 2, n).OrderBy(_ => rng.Next()).Select(v => v * 4 * H).ToArray(),
            ForwardMode.Inference)));

    /// <summary>ReLU inputs stay at least 2h away from 0 (the kink); dropout runs in training mode with a fixed mask.</summary>
    [Property(MaxTest = 60)]
    public Property Relu_dropout_flatten_gradients_match_central_differences() =>
        Prop.ForAll(Elementwise().ToArbitrary(), c => Holds(c, Check(c,
            (rng, n) => Grid(rng, n).Select(v => v >= 0 ? v + 2 * H : v - 2 * H).ToArray(),
            new ForwardMode(true, (ulong)c.Seed, c.Seed % 7))));

    /// <summary>
    /// Mean softmax cross-entropy over a batch of B: loss is smooth, so the central difference has truncation error
    /// h^2/6 max|f'''|; along one logit f''' = p(1-p)(1-2p)/B with |.| &lt;= 1/(6 sqrt 3)/B. Rounding: the loss of each
    /// sample is a handful of operations on numbers of size |log S| + |m| + |z|: 8u (sum of those) / h. h = 2^-10 here.
    /// </summary>
    [Property(MaxTest = 100)]
    public Property Softmax_cross_entropy_gradient_matches_central_differences() =>
        Prop.ForAll(Gen.Choose(2, 12).Two().Select(t => t).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (shape, seed) =>
        {
            var (classes, batch) = shape;
            var rng = new Random(seed);
            var z = Grid(rng, batch * classes).Select(v => 8 * v).ToArray();
            var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(classes)).ToArray();
            const double h = 1.0 / 1024;
            double Mean(double[] zz)
            {
                double sum = 0; var p = new double[classes];
                for (int s = 0; s < batch; s++) sum += ReferenceSoftmaxCrossEntropy<double>.LossAndProbabilities(zz.AsSpan(s * classes, classes), labels[s], p, out _);
                return sum / batch;
            }
            var dz = new double[z.Length]; var pr = new double[classes];
            for (int s = 0; s < batch; s++)
            {
                ReferenceSoftmaxCrossEntropy<double>.LossAndProbabilities(z.AsSpan(s * classes, classes), labels[s], pr, out _);
                ReferenceSoftmaxCrossEntropy<double>.Gradient(pr, labels[s], batch, dz.AsSpan(s * classes, classes));
            }
            double scale = z.Sum(Math.Abs) + batch * (Math.Log(classes) + 2 * 8 + 8 + h);
            double tol = h * h / 6 / (6 * Math.Sqrt(3)) / batch + 8 * Bounds.UnitRoundoff<double>() * scale / h;
            for (int i = 0; i < z.Length; i++)
            {
                double keep = z[i];
                z[i] = keep + h; double fp = Mean(z);
                z[i] = keep - h; double fm = Mean(z);
                z[i] = keep;
                double fd = (fp - fm) / (2 * h);
                if (Math.Abs(fd - dz[i]) > tol) return false.Label($"dz[{i}] {dz[i]:R} vs fd {fd:R}, tol {tol:R}");
            }
            return true.Label("ok");
        });
}
