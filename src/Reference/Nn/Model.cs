using NetNumerics.Reference.Nn.Layers;
using NetNumerics.Nn;
using System.Numerics;

namespace NetNumerics.Reference.Nn;

/// <summary>
/// The Reference sequential network in precision T: the layers of a <see cref="NetworkSpec"/> run one after another
/// on the whole batch, then softmax cross-entropy. The specification the Fast model is checked against, and (in double)
/// the subject of the finite-difference gradient checks. Allocates freely; clarity over speed.
/// </summary>
public sealed class ReferenceNetwork<T> where T : IFloatingPointIeee754<T>
{
    readonly T[][] activations;   // activations[i] = input of layer i; activations[^1] = logits
    readonly T[][] deltas;        // deltas[i] = d(mean loss)/d(activations[i])
    int capacity;

    /// <summary>Build the layers of <paramref name="spec"/> and initialise them with <see cref="GlorotUniform"/> from <paramref name="seed"/>.</summary>
    public ReferenceNetwork(NetworkSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Layers = spec.Layers.Select((l, i) => ReferenceLayer<T>.Create(l, i, spec.Shapes[i])).ToArray();
        Parameters = Layers.SelectMany(l => l.Parameters).ToArray();
        GlorotUniform.Initialize(spec, seed, (p, i, v) => Parameters[p].Values[i] = T.CreateChecked(v));
        activations = new T[Layers.Count + 1][];
        deltas = new T[Layers.Count + 1][];
    }

    /// <summary>The architecture this network was built from.</summary>
    public NetworkSpec Spec { get; }
    internal IReadOnlyList<ReferenceLayer<T>> Layers { get; }
    /// <summary>Every trainable tensor in the fixed order of <see cref="NetworkSpec.ParameterLayout"/> (layer by layer, weights then bias); arrays owned by the layers, changed in place by training.</summary>
    public IReadOnlyList<LayerParameter<T>> Parameters { get; }
    /// <summary>Floats per input sample (channels x height x width).</summary>
    public int InputLength => Spec.Input.Length;
    /// <summary>Number of classes of the softmax output.</summary>
    public int Classes => Spec.Classes;

    void Ensure(int batch)
    {
        if (batch <= capacity) return;
        for (int i = 0; i < activations.Length; i++)
        {
            int n = Spec.Shapes[i].Length * batch;
            activations[i] = new T[n];
            deltas[i] = new T[n];
        }
        capacity = batch;
    }

    /// <summary>Run every layer; returns the logits (batch x Classes).</summary>
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> inputs, int batch, ForwardMode mode)
    {
        Ensure(batch);
        inputs[..(batch * InputLength)].CopyTo(activations[0]);
        for (int i = 0; i < Layers.Count; i++)
            Layers[i].Forward(activations[i], activations[i + 1], batch, mode);
        return activations[^1].AsSpan(0, batch * Classes);
    }

    /// <summary>Forward with dropout on, softmax cross-entropy, backward: every parameter's Gradients = d(mean loss)/d(parameter).</summary>
    public BatchResult TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, ulong seed, long step)
    {
        int batch = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        Forward(inputs, batch, new ForwardMode(true, seed, step));
        var result = LossAndLogitGradient(labels, batch, deltas[^1]);
        for (int i = Layers.Count - 1; i >= 0; i--)
            Layers[i].Backward(activations[i], activations[i + 1], deltas[i + 1], i == 0 ? Span<T>.Empty : deltas[i], batch);
        return result;
    }

    /// <summary>Loss summed over the batch (in sample order, in double) and correct count; dz = d(mean loss)/d(logits).</summary>
    BatchResult LossAndLogitGradient(ReadOnlySpan<int> labels, int batch, Span<T> dz)
    {
        var p = new T[Classes];
        double lossSum = 0; int correct = 0;
        for (int s = 0; s < batch; s++)
        {
            var z = activations[^1].AsSpan(s * Classes, Classes);
            T loss = ReferenceSoftmaxCrossEntropy<T>.LossAndProbabilities(z, labels[s], p, out bool ok);
            lossSum += double.CreateChecked(loss);
            if (ok) correct++;
            if (!dz.IsEmpty) ReferenceSoftmaxCrossEntropy<T>.Gradient(p, labels[s], batch, dz.Slice(s * Classes, Classes));
        }
        return new BatchResult(lossSum, correct, batch);
    }

    /// <summary>Forward only, dropout off, no gradients: loss summed over the batch (in sample order, in double) and correct count.</summary>
    /// <param name="inputs">Samples one after another, <see cref="InputLength"/> values each.</param>
    /// <param name="labels">One class per sample, in [0, <see cref="Classes"/>).</param>
    public BatchResult Evaluate(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels)
    {
        int batch = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        Forward(inputs, batch, ForwardMode.Inference);
        return LossAndLogitGradient(labels, batch, Span<T>.Empty);
    }

    /// <summary>Class probabilities (the softmax of the logits), dropout off: <see cref="Classes"/> values per sample.</summary>
    /// <param name="inputs">Samples one after another, <see cref="InputLength"/> values each.</param>
    /// <param name="probabilities">Receives batch x <see cref="Classes"/> values.</param>
    public void Predict(ReadOnlySpan<T> inputs, Span<T> probabilities)
    {
        int batch = ModelGuard.Predict(inputs.Length, probabilities.Length, InputLength, Classes);
        if (batch == 0) return;
        var logits = Forward(inputs, batch, ForwardMode.Inference);
        for (int s = 0; s < batch; s++)
            ReferenceSoftmaxCrossEntropy<T>.LossAndProbabilities(logits.Slice(s * Classes, Classes), 0, probabilities.Slice(s * Classes, Classes), out _);
    }
}

/// <summary>The Reference CNN as an <see cref="IModel"/> (float): see <see cref="ReferenceNetwork{T}"/>.</summary>
public sealed class ReferenceModel : IModel
{
    /// <summary>Builds the float Reference network of <paramref name="spec"/> with Glorot-uniform weights drawn from <paramref name="seed"/> (the same weights a FastModel gets from the same seed).</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="seed">Seed of the initial weights (counter-based: weight i of parameter p is a pure function of (seed, p, i)).</param>
    public ReferenceModel(NetworkSpec spec, ulong seed)
    {
        Network = new ReferenceNetwork<float>(spec, seed);
        Parameters = Network.Parameters.Select(p => new Parameter(p.Name, p.Shape, p.Values, p.Gradients)).ToArray();
    }

    /// <summary>The network in float, for access to <see cref="ReferenceNetwork{T}.Forward"/> and its typed parameters.</summary>
    public ReferenceNetwork<float> Network { get; }
    /// <summary>The architecture this model was built from.</summary>
    public NetworkSpec Spec => Network.Spec;
    /// <inheritdoc />
    public int InputLength => Network.InputLength;
    /// <inheritdoc />
    public int Classes => Network.Classes;
    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc />
    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step) => Network.TrainStep(inputs, labels, seed, step);
    /// <inheritdoc />
    public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => Network.Evaluate(inputs, labels);
    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities) => Network.Predict(inputs, probabilities);
}
