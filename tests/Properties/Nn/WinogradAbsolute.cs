using NetNumerics.Nn;

namespace NetNumerics.Properties.Nn;

/// <summary>The Winograd F(2x2, 3x3) conv run on absolute values in double: the quantity its rounding-error bound scales
/// (<see cref="WinogradProperties"/>, and the propagated loss bound of <see cref="FastModelProperties"/>).</summary>
internal static class WinogradAbsolute
{
    static readonly double[,] BT = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
    static readonly double[,] G = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
    static readonly double[,] AT = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };

    /// <summary>
    /// Winograd F(2x2, 3x3) on |x|, |W|, |b|, |dY| with |B|, |G|, |A|, in double, over the tiles the Fast path uses (2x2 output
    /// tiles from the top left, inputs outside the image +0, outputs past the map dropped): y, dx and dW in the spec layouts
    /// (NCHW; W as [filters][in][3][3]). dy null: y only (dx and dW empty).
    /// </summary>
    public static (double[] Y, double[] Dx, double[] DW) Run(Conv2DSpec spec, TensorShape input, TensorShape output, int batch,
        double[] weights, double[] bias, double[] x, double[]? dy)
    {
        int cin = input.Channels, h = input.Height, w = input.Width, oh = output.Height, ow = output.Width, f = spec.Filters;
        int pt = spec.PadBefore(h, 3), pl = spec.PadBefore(w, 3), th = (oh + 1) / 2, tw = (ow + 1) / 2;
        var bt = AbsOf(BT); var g = AbsOf(G); var at = AbsOf(AT);
        var wt = new double[f, cin][,];
        for (int o = 0; o < f; o++)
            for (int ch = 0; ch < cin; ch++)
            {
                var k = new double[3, 3];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) k[i, j] = Math.Abs(weights[((o * cin + ch) * 3 + i) * 3 + j]);
                wt[o, ch] = Mul(Mul(g, k), T(g));
            }
        var y = new double[batch * f * oh * ow]; var dx = new double[x.Length]; var sums = new double[f, cin][,];
        for (int o = 0; o < f; o++) for (int ch = 0; ch < cin; ch++) sums[o, ch] = new double[4, 4];
        for (int s = 0; s < batch; s++)
            for (int tp = 0; tp < th; tp++)
                for (int tq = 0; tq < tw; tq++)
                {
                    var uc = new double[cin][,]; var vo = new double[f][,];
                    for (int ch = 0; ch < cin; ch++)
                    {
                        var d = new double[4, 4];
                        for (int i = 0; i < 4; i++)
                            for (int j = 0; j < 4; j++)
                            {
                                int ih = 2 * tp - pt + i, iw = 2 * tq - pl + j;
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) d[i, j] = Math.Abs(x[((s * cin + ch) * h + ih) * w + iw]);
                            }
                        uc[ch] = Mul(Mul(bt, d), T(bt));
                    }
                    for (int o = 0; o < f; o++)
                    {
                        if (dy != null)
                        {
                            var gy = new double[2, 2];
                            for (int i = 0; i < 2; i++)
                                for (int j = 0; j < 2; j++)
                                    if (2 * tp + i < oh && 2 * tq + j < ow) gy[i, j] = Math.Abs(dy[((s * f + o) * oh + 2 * tp + i) * ow + 2 * tq + j]);
                            vo[o] = Mul(Mul(T(at), gy), at);
                        }
                        var m = new double[4, 4];
                        for (int ch = 0; ch < cin; ch++) AddProduct(m, wt[o, ch], uc[ch]);
                        var yt = Mul(Mul(at, m), T(at));
                        for (int i = 0; i < 2; i++)
                            for (int j = 0; j < 2; j++)
                                if (2 * tp + i < oh && 2 * tq + j < ow) y[((s * f + o) * oh + 2 * tp + i) * ow + 2 * tq + j] = yt[i, j] + Math.Abs(bias[o]);
                        if (dy != null) for (int ch = 0; ch < cin; ch++) AddProduct(sums[o, ch], uc[ch], vo[o]);
                    }
                    if (dy == null) continue;
                    for (int ch = 0; ch < cin; ch++)
                    {
                        var pc = new double[4, 4];
                        for (int o = 0; o < f; o++) AddProduct(pc, wt[o, ch], vo[o]);
                        var dd = Mul(Mul(T(bt), pc), bt);
                        for (int i = 0; i < 4; i++)
                            for (int j = 0; j < 4; j++)
                            {
                                int ih = 2 * tp - pt + i, iw = 2 * tq - pl + j;
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) dx[((s * cin + ch) * h + ih) * w + iw] += dd[i, j];
                            }
                    }
                }
        if (dy == null) return (y, [], []);
        var dw = new double[weights.Length];
        for (int o = 0; o < f; o++)
            for (int ch = 0; ch < cin; ch++)
            {
                var k = Mul(Mul(T(g), sums[o, ch]), g);
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) dw[((o * cin + ch) * 3 + i) * 3 + j] = k[i, j];
            }
        return (y, dx, dw);
    }

    static double[,] AbsOf(double[,] a)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < r.GetLength(0); i++) for (int j = 0; j < r.GetLength(1); j++) r[i, j] = Math.Abs(r[i, j]);
        return r;
    }

    static double[,] T(double[,] a)
    {
        var r = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) r[j, i] = a[i, j];
        return r;
    }

    static double[,] Mul(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), k = a.GetLength(1), n = b.GetLength(1);
        var r = new double[m, n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) { double s = 0; for (int t = 0; t < k; t++) s += a[i, t] * b[t, j]; r[i, j] = s; }
        return r;
    }

    static void AddProduct(double[,] acc, double[,] a, double[,] b)
    {
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) acc[i, j] += a[i, j] * b[i, j];
    }
}
