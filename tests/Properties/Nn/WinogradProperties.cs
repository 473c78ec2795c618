using NetNumerics.Fast.Nn;
using NetNumerics.Reference.Nn.Layers;
using NetNumerics.Fast.Nn.Layers;
using NetNumerics.Nn;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast;
using NetNumerics.Testing;
using NetNumerics.Fast.Kernels;
using static NetNumerics.Properties.Nn.NnCases;

namespace NetNumerics.Properties.Nn;

/// <summary>
/// The Fast conv by Winograd F(2x2, 3x3) (<see cref="Winograd3x3"/>) against the Reference's direct sum. Winograd does not
/// round like a dot product, so the direct sum's gamma_n sum|t_i| does not bound it. Instead, every value it computes is a
/// chain of additions, multiplications by exact constants (+-1, 1/2) and products of computed values, so by induction over
/// the chain (Higham, Lemma 3.3: (1 + theta_j)(1 + theta_k) = 1 + theta_{j + k}) a value that went through at most d
/// roundings on every path from the inputs is within gamma_d of the exact value, times the SAME algorithm run on absolute
/// values with the absolute transform matrices (<see cref="Absolute"/>, in double). The roundings, per result:
/// <list type="bullet">
/// <item>y: U = B^T d B 2 (one addition per side), W = G g G^T 4 (two per side; x 1/2 is exact), the product and the FMA
/// chain over the in channels in + 0 (the first term is rounded in all in FMAs), A^T M A 4, + bias 1: d = in + 11.</item>
/// <item>dW: U 2, V = A dY A^T 2, the FMA chain over all batch x tiles tiles, G^T S G 4 (s0 + (s1 + s2)/2 per side): d = tiles + 8.</item>
/// <item>dx: V 2, W 4, the chain over the filters, B P B^T 4 (p1 - p2 + p3 per side), then at most four tiles add onto an
/// input (2 per axis: input tiles are 4 wide at stride 2) starting from +0, the first exactly: 3; d = filters + 13.</item>
/// <item>db: the rows of dY in order, as the direct path: the Reference's bound.</item>
/// </list>
/// The Reference is within its gamma_n sum|t_i| of the exact value (<see cref="FastReferenceLayerProperties"/>), so the two
/// are within the sum of both bounds. Grid inputs (multiples of 2^-10 in [-1, 1]): nothing underflows, x 1/2 stays exact.
/// </summary>
public class WinogradProperties
{
    static Gen<LayerCase> Cases() =>
        from cin in Gen.Elements(16, 32) from f in Gen.Elements(32, 64) from h in Gen.Choose(3, 9) from w in Gen.Choose(3, 9)
        from same in Gen.Elements(false, true) from b in Gen.Choose(1, 3) from seed in Gen.Choose(0, int.MaxValue)
        select new LayerCase(new Conv2DSpec(f, 3, 3, 1, same ? Padding.Same : Padding.Valid), new TensorShape(cin, h, w), b, seed);

    [Property(MaxTest = 40)]
    public Property Winograd_conv_agrees_with_the_reference_within_the_derived_bound() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var spec = (Conv2DSpec)c.Layer;
            if (!Winograd3x3.Supports(spec, c.Input)) return false.Label($"{c}: Winograd3x3 does not take this conv");
            var (p, x, dy) = FastReferenceLayerProperties.Inputs(c);
            var r = FastReferenceLayerProperties.Reference(c, p, x, dy, ForwardMode.Inference);
            var f = FastLayerRunner.Run(c.Layer, 0, c.Input, p, x, dy, c.Batch, ForwardMode.Inference, winograd: true);
            var direct = FastReferenceLayerProperties.AbsoluteTerms(c, p, x, dy);
            var wino = Absolute(c, p, x, dy);
            double u = Bounds.UnitRoundoff<float>();
            int cin = c.Input.Channels, tiles = c.Batch * ((c.Output.Height + 1) / 2) * ((c.Output.Width + 1) / 2);
            int nDirectY = 9 * cin + 1, nDirectW = c.Batch * c.Output.Height * c.Output.Width, nDirectDx = 9 * spec.Filters + 1;
            foreach (var (what, fast, reference, bound) in new[]
                     {
                         ("y", f.Output, r.Y, Both(wino.Y, cin + 11, direct.Y, nDirectY, u)),
                         ("dx", f.InputGradient, r.Dx, Both(wino.Dx, spec.Filters + 13, direct.Dx, nDirectDx, u)),
                         ("dW", f.ParameterGradients[0], r.Grads[0], Both(wino.DW, tiles + 8, direct.Grads[0], nDirectW, u)),
                         ("db", f.ParameterGradients[1], r.Grads[1], direct.Grads[1].Select(a => 2 * Bounds.Gamma(nDirectW, u) * a).ToArray()),
                     })
                NumericAssert.WithinBound<float>(reference, fast, bound, label: $"{c} {what}");
            return true.Label(c.ToString());
        });

    static double[] Both(double[] wino, int d, double[] direct, int n, double u) =>
        wino.Select((a, i) => Bounds.Gamma(d, u) * a + Bounds.Gamma(n, u) * direct[i]).ToArray();

    /// <summary>The forward bound on its own, against the exact outputs (double: grid products and sums are exact there), with
    /// no room from the Reference's bound: |y_fast - y| &lt;= gamma_{in + 11} times the absolute algorithm.</summary>
    [Property(MaxTest = 20)]
    public Property Winograd_forward_is_within_its_own_bound_of_the_exact_conv() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (p, x, dy) = FastReferenceLayerProperties.Inputs(c);
            var f = FastLayerRunner.Run(c.Layer, 0, c.Input, p, x, dy, c.Batch, ForwardMode.Inference, winograd: true);
            var exact = Exact(c, p, x);
            var wino = Absolute(c, p, x, dy);
            double g = Bounds.Gamma(c.Input.Channels + 11, Bounds.UnitRoundoff<float>());
            for (int i = 0; i < exact.Length; i++)
                if (!(Math.Abs(f.Output[i] - exact[i]) <= g * wino.Y[i]))
                    return false.Label($"{c}: y[{i}] = {f.Output[i]:R}, exact {exact[i]:R}, bound {g * wino.Y[i]:R}");
            return true.Label(c.ToString());
        });

    /// <summary>
    /// The transforms work lane by lane over the channels and the weight-gradient chains run over the tiles in order, so the
    /// vector width changes no bit: forward (stored and pooled), dx, dW and db at Vector512 (in software where the CPU lacks
    /// it), Vector256 and Vector128 against each other. The 16 GEMMs run at the machine's width in all three (their own
    /// width property is <c>SgemmProperties.Every_vector_width_gives_the_same_bits</c>).
    /// </summary>
    [Property(MaxTest = 12)]
    public unsafe Property Winograd_gives_the_same_bits_at_every_vector_width() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var spec = (Conv2DSpec)c.Layer;
            int cin = c.Input.Channels, f = spec.Filters, oh = c.Output.Height, ow = c.Output.Width, n = c.Batch;
            var rng = new Random(c.Seed);
            var w = ToFloat(Grid(rng, 9 * cin * f)); var b = ToFloat(Grid(rng, f));
            var x = ToFloat(Grid(rng, n * c.Input.Length)); var dy = ToFloat(Grid(rng, n * c.Output.Length));
            var wino = new Winograd3x3(spec, c.Input, c.Output, spec.PadBefore(c.Input.Height, 3), spec.PadBefore(c.Input.Width, 3));
            int ph = oh / 2, pw = ow / 2;
            var runs = new List<(string Width, float[][] Results)>();
            fixed (float* pw0 = w) wino.Prepare(pw0);
            runs.Add(("512", Run<V512<float>>())); runs.Add(("256", Run<V256<float>>())); runs.Add(("128", Run<V128<float>>()));
            string[] names = ["y", "pooled", "winners", "dx", "dW", "db"];
            foreach (var (width, results) in runs.Skip(1))
                for (int i = 0; i < names.Length; i++)
                    NumericAssert.BitExact<float>(runs[0].Results[i], results[i], label: $"{c}: {names[i]} at Vector{width} against Vector512");
            return true.Label(c.ToString());

            float[][] Run<TV>() where TV : struct, IVec<TV, float>
            {
                var y = new float[n * c.Output.Length]; var pooled = new float[Math.Max(1, n * ph * pw * f)]; var winners = new float[pooled.Length];
                var dx = new float[x.Length]; var grad = new float[w.Length + f];
                var work = new float[Math.Max(wino.ScratchFloats(oh, ow), wino.ScratchFloats(2 * ph, 2 * pw))];
                var ws = new GemmWorkspace();
                fixed (float* px = x) fixed (float* pb = b) fixed (float* py = y) fixed (float* pp = pooled) fixed (float* pwin = winners)
                fixed (float* pdy = dy) fixed (float* pdx = dx) fixed (float* pg = grad) fixed (float* pwork = work)
                {
                    wino.Forward<TV>(px, n, oh, ow, pb, py, null, null, pwork, ws);
                    if (ph > 0 && pw > 0) wino.Forward<TV>(px, n, 2 * ph, 2 * pw, pb, null, pp, pwin, pwork, ws);
                    var rows = new InPlaceGradRows(pdy, f);
                    wino.Backward<InPlaceGradRows, TV>(ref rows, px, n, oh, ow, pdx, pg, pg + w.Length, pwork, ws);
                }
                return [y, pooled, winners, dx, grad[..w.Length], grad[w.Length..]];
            }
        });

    /// <summary>dY rows read in place (row r of the [n x out_h x out_w] map at r * filters).</summary>
    unsafe readonly struct InPlaceGradRows(float* dy, int filters) : IConvGradRows
    {
        public float* Rows(int r0, int count) => dy + (long)r0 * filters;
    }

    /// <summary>The exact conv outputs (double, NCHW): every product and sum of grid values is exact in double.</summary>
    static double[] Exact(LayerCase c, float[][] p, float[] x)
    {
        var spec = (Conv2DSpec)c.Layer;
        int cin = c.Input.Channels, h = c.Input.Height, w = c.Input.Width, oh = c.Output.Height, ow = c.Output.Width, f = spec.Filters;
        int pt = spec.PadBefore(h, 3), pl = spec.PadBefore(w, 3);
        var y = new double[c.Batch * f * oh * ow];
        for (int s = 0; s < c.Batch; s++)
            for (int o = 0; o < f; o++)
                for (int q = 0; q < oh; q++)
                    for (int r = 0; r < ow; r++)
                    {
                        double sum = p[1][o];
                        for (int ch = 0; ch < cin; ch++)
                            for (int i = 0; i < 3; i++)
                                for (int j = 0; j < 3; j++)
                                {
                                    int ih = q + i - pt, iw = r + j - pl;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                        sum += (double)p[0][((o * cin + ch) * 3 + i) * 3 + j] * x[((s * cin + ch) * h + ih) * w + iw];
                                }
                        y[((s * f + o) * oh + q) * ow + r] = sum;
                    }
        return y;
    }

    static (double[] Y, double[] Dx, double[] DW) Absolute(LayerCase c, float[][] p, float[] x, float[] dy) =>
        WinogradAbsolute.Run((Conv2DSpec)c.Layer, c.Input, c.Output, c.Batch, ToDouble(p[0]), ToDouble(p[1]), ToDouble(x), ToDouble(dy));
}
