using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>
/// Max pooling, padding 'valid': y[s,c,p,q] = max_{i,j &lt; pool} x[s,c, p*stride + i, q*stride + j].
/// Backward sends dy to the FIRST maximum of the window in row-major (i, j) order (a later equal value does not replace it);
/// every other dx is 0 (overlapping windows add).
/// </summary>
internal sealed class ReferenceMaxPool2D<T>(MaxPool2DSpec spec, TensorShape input) : ReferenceLayer<T>(input, spec.OutputShape(input))
    where T : IFloatingPointIeee754<T>
{
    (int H, int W) ArgMax(ReadOnlySpan<T> x, int s, int c, int p, int q)
    {
        int stride = spec.EffectiveStride, bestH = p * stride, bestW = q * stride;
        T best = x[((s * Input.Channels + c) * Input.Height + bestH) * Input.Width + bestW];
        for (int i = 0; i < spec.Pool; i++)
            for (int j = 0; j < spec.Pool; j++)
            {
                int h = p * stride + i, w = q * stride + j;
                T v = x[((s * Input.Channels + c) * Input.Height + h) * Input.Width + w];
                if (v > best) { best = v; bestH = h; bestW = w; }
            }
        return (bestH, bestW);
    }

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode)
    {
        for (int s = 0; s < batch; s++)
            for (int c = 0; c < Output.Channels; c++)
                for (int p = 0; p < Output.Height; p++)
                    for (int q = 0; q < Output.Width; q++)
                    {
                        var (h, w) = ArgMax(x, s, c, p, q);
                        y[((s * Output.Channels + c) * Output.Height + p) * Output.Width + q] = x[((s * Input.Channels + c) * Input.Height + h) * Input.Width + w];
                    }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        dx.Clear();
        for (int s = 0; s < batch; s++)
            for (int c = 0; c < Output.Channels; c++)
                for (int p = 0; p < Output.Height; p++)
                    for (int q = 0; q < Output.Width; q++)
                    {
                        var (h, w) = ArgMax(x, s, c, p, q);
                        dx[((s * Input.Channels + c) * Input.Height + h) * Input.Width + w] += dy[((s * Output.Channels + c) * Output.Height + p) * Output.Width + q];
                    }
    }
}
