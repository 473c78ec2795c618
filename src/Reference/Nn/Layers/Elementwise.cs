using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>ReLU: y = max(x, 0); dx = dy where x &gt; 0, else 0.</summary>
internal sealed class ReferenceRelu<T>(TensorShape input) : ReferenceLayer<T>(input, input) where T : IFloatingPointIeee754<T>
{
    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode)
    {
        for (int k = 0; k < batch * Input.Length; k++) y[k] = x[k] > T.Zero ? x[k] : T.Zero;
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        for (int k = 0; k < batch * Input.Length; k++) dx[k] = x[k] > T.Zero ? dy[k] : T.Zero;
    }
}

/// <summary>Flatten: NCHW order is already flat, so y = x and dx = dy.</summary>
internal sealed class ReferenceFlatten<T>(TensorShape input) : ReferenceLayer<T>(input, new TensorShape(input.Length, 1, 1)) where T : IFloatingPointIeee754<T>
{
    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode) => x[..(batch * Input.Length)].CopyTo(y);
    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch) => dy[..(batch * Input.Length)].CopyTo(dx);
}

/// <summary>
/// Inverted dropout (Srivastava et al. 2014; Keras Dropout): training: y = keep ? x * scale : 0 with scale = 1/(1 - rate)
/// and keep from <see cref="DropoutMask"/> (element index in NCHW order within the sample, sample index within the batch);
/// inference: y = x. Backward: dx = keep ? dy * scale : 0.
/// </summary>
internal sealed class ReferenceDropout<T>(DropoutSpec spec, TensorShape input, int index) : ReferenceLayer<T>(input, input) where T : IFloatingPointIeee754<T>
{
    bool[] keep = [];
    bool training;

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode)
    {
        int n = batch * Input.Length;
        training = mode.Training;
        if (!training) { x[..n].CopyTo(y); return; }
        if (keep.Length < n) keep = new bool[n];
        T scale = T.CreateChecked(DropoutMask.Scale(spec.Rate));
        ulong stream = DropoutMask.Stream(mode.Step, index);
        for (int k = 0; k < n; k++)
        {
            keep[k] = DropoutMask.Keep(mode.Seed, stream, k, spec.Rate);
            y[k] = keep[k] ? x[k] * scale : T.Zero;
        }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        int n = batch * Input.Length;
        if (!training) { dy[..n].CopyTo(dx); return; }
        T scale = T.CreateChecked(DropoutMask.Scale(spec.Rate));
        for (int k = 0; k < n; k++) dx[k] = keep[k] ? dy[k] * scale : T.Zero;
    }
}
