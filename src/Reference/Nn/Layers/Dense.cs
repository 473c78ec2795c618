using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn.Layers;

/// <summary>
/// Fully connected layer: y[s,o] = sum_i W[o,i] x[s,i] + b[o], W is [out, in] (Keras Dense computes x W^T + b with its
/// kernel stored [in, out]; we store the transpose, as PyTorch's Linear does).
/// Backward: dW[o,i] = sum_s dy[s,o] x[s,i]; db[o] = sum_s dy[s,o]; dx[s,i] = sum_o dy[s,o] W[o,i].
/// </summary>
internal sealed class ReferenceDense<T> : ReferenceLayer<T> where T : IFloatingPointIeee754<T>
{
    readonly LayerParameter<T> weights, bias;

    public ReferenceDense(DenseSpec spec, TensorShape input, int index) : base(input, spec.OutputShape(input))
    {
        int n = spec.Units * input.Length;
        weights = new($"layer{index}.dense.weights", [spec.Units, input.Length], new T[n], new T[n]);
        bias = new($"layer{index}.dense.bias", [spec.Units], new T[spec.Units], new T[spec.Units]);
    }

    public override IReadOnlyList<LayerParameter<T>> Parameters => [weights, bias];

    public override void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, ForwardMode mode)
    {
        int nIn = Input.Length, nOut = Output.Length;
        for (int s = 0; s < batch; s++)
            for (int o = 0; o < nOut; o++)
            {
                T acc = T.Zero;
                for (int i = 0; i < nIn; i++) acc += weights.Values[o * nIn + i] * x[s * nIn + i];
                y[s * nOut + o] = acc + bias.Values[o];
            }
    }

    public override void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int batch)
    {
        int nIn = Input.Length, nOut = Output.Length;
        for (int o = 0; o < nOut; o++)
        {
            T accB = T.Zero;
            for (int s = 0; s < batch; s++) accB += dy[s * nOut + o];
            bias.Gradients[o] = accB;
            for (int i = 0; i < nIn; i++)
            {
                T acc = T.Zero;
                for (int s = 0; s < batch; s++) acc += dy[s * nOut + o] * x[s * nIn + i];
                weights.Gradients[o * nIn + i] = acc;
            }
        }
        if (dx.IsEmpty) return;
        for (int s = 0; s < batch; s++)
            for (int i = 0; i < nIn; i++)
            {
                T acc = T.Zero;
                for (int o = 0; o < nOut; o++) acc += dy[s * nOut + o] * weights.Values[o * nIn + i];
                dx[s * nIn + i] = acc;
            }
    }
}
