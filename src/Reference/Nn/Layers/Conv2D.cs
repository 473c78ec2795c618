using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>
/// 2-D convolution (cross-correlation, as Keras and PyTorch define it):
/// y[s,o,p,q] = b[o] + sum_{c,i,j} W[o,c,i,j] * x[s,c, p*stride + i - padTop, q*stride + j - padLeft]
/// (terms outside the input are zero). W is [out, in, kh, kw], b is [out].
/// Backward: dW[o,c,i,j] = sum_{s,p,q} dy[s,o,p,q] x[s,c,..]; db[o] = sum_{s,p,q} dy[s,o,p,q];
/// dx[s,c,h,w] = sum of dy[s,o,p,q] W[o,c,i,j] over every (o,p,q,i,j) that read x[s,c,h,w].
/// </summary>
internal sealed class ReferenceConv2D<T> : ReferenceLayer<T> where T : IFloatingPointIeee754<T>
{
    readonly Conv2DSpec spec;
    readonly int padTop, padLeft;
    readonly LayerParameter<T> weights, bias;

    public ReferenceConv2D(Conv2DSpec spec, TensorShape input, int index) : base(input, spec.OutputShape(input))
    {
        this.spec = spec;
        padTop = spec.PadBefore(input.Height, spec.KernelHeight);
        padLeft = spec.PadBefore(input.Width, spec.KernelWidth);
        int n = spec.Filters * input.Channels * spec.KernelHeight * spec.KernelWidth;
        weights = new($"layer{index}.conv2d.weights", [spec.Filters, input.Channels, spec.KernelHeight, spec.KernelWidth], new T[n], new T[n]);
        bias = new($"layer{index}.conv2d.bias", [spec.Filters], new T[spec.Filters], new T[spec.Filters]);
    }

    public override IReadOnlyList<LayerParameter<T>> Parameters => [weights, bias];

    int W(int o, int c, int i, int j) => ((o * Input.Channels + c) * spec.KernelHeight + i) * spec.KernelWidth + j;
    int X(int s, int c, int h, int w) => ((s * Input.Channels + c) * Input.Height + h) * Input.Width + w;
    int Y(int s, int o, int p, int q) => ((s * Output.Channels + o) * Output.Height + p) * Output.Width + q;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode)
    {
        var w = weights.Values; var b = bias.Values;
        for (int s = 0; s < batch; s++)
            for (int o = 0; o < Output.Channels; o++)
                for (int p = 0; p < Output.Height; p++)
                    for (int q = 0; q < Output.Width; q++)
                    {
                        T acc = T.Zero;
                        for (int c = 0; c < Input.Channels; c++)
                            for (int i = 0; i < spec.KernelHeight; i++)
                                for (int j = 0; j < spec.KernelWidth; j++)
                                {
                                    int h = p * spec.Stride + i - padTop, v = q * spec.Stride + j - padLeft;
                                    if (h >= 0 && h < Input.Height && v >= 0 && v < Input.Width)
                                        acc += w[W(o, c, i, j)] * x[X(s, c, h, v)];
                                }
                        y[Y(s, o, p, q)] = acc + b[o];
                    }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        var w = weights.Values; var dw = weights.Gradients; var db = bias.Gradients;
        Array.Clear(dw); Array.Clear(db);
        dx.Clear();
        for (int s = 0; s < batch; s++)
            for (int o = 0; o < Output.Channels; o++)
                for (int p = 0; p < Output.Height; p++)
                    for (int q = 0; q < Output.Width; q++)
                    {
                        T g = dy[Y(s, o, p, q)];
                        db[o] += g;
                        for (int c = 0; c < Input.Channels; c++)
                            for (int i = 0; i < spec.KernelHeight; i++)
                                for (int j = 0; j < spec.KernelWidth; j++)
                                {
                                    int h = p * spec.Stride + i - padTop, v = q * spec.Stride + j - padLeft;
                                    if (h < 0 || h >= Input.Height || v < 0 || v >= Input.Width) continue;
                                    dw[W(o, c, i, j)] += g * x[X(s, c, h, v)];
                                    if (!dx.IsEmpty) dx[X(s, c, h, v)] += g * w[W(o, c, i, j)];
                                }
                    }
    }
}
