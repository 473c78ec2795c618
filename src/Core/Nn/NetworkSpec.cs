namespace NetNumerics.Nn;

/// <summary>
/// A sequential classifier: an input shape, a list of layers, and softmax with categorical cross-entropy on
/// the last layer's output (which must be flat, with <see cref="Classes"/> units). Both the Reference and the
/// Fast model are built from this record, so they have the same layers and the same parameter layout.
/// Parameters come layer by layer, weights then bias (conv weights [out, in, kh, kw], dense weights [out, in]).
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>Layer indices stay below this (the dropout mask's random stream is step * MaxLayers + layer).</summary>
    public const int MaxLayers = 1024;

    /// <summary>Checks that every layer fits the output of the one before it and that the last output is a flat vector of at least 2 classes.</summary>
    /// <param name="input">Shape of one input sample; every dimension &gt; 0.</param>
    /// <param name="layers">The layers in order, 1 to <see cref="MaxLayers"/> - 1 of them (copied).</param>
    /// <exception cref="ArgumentException">A layer does not fit its input, or the last output is not flat with at least 2 classes.</exception>
    public NetworkSpec(TensorShape input, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Guard.Positive(input.Channels, "input.Channels");
        Guard.Positive(input.Height, "input.Height");
        Guard.Positive(input.Width, "input.Width");
        if (layers.Count == 0) throw new ArgumentException("layers is empty; a network needs at least one Dense layer.", nameof(layers));
        if (layers.Count >= MaxLayers)
            throw new ArgumentOutOfRangeException(nameof(layers), layers.Count, $"layers has {layers.Count} entries; at most {MaxLayers - 1} are allowed.");
        var shapes = new TensorShape[layers.Count + 1];
        shapes[0] = input;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is null) throw new ArgumentException($"layers[{i}] is null.", nameof(layers));
            shapes[i + 1] = layers[i].OutputShape(shapes[i]);
        }
        var last = shapes[^1];
        if (last.Height != 1 || last.Width != 1 || last.Channels < 2)
            throw new ArgumentException($"the last layer's output is {last}; softmax needs a flat output with at least 2 classes.", nameof(layers));
        Input = input;
        Layers = layers.ToArray();
        Shapes = shapes;
    }

    /// <summary>Shape of one input sample (channels x height x width).</summary>
    public TensorShape Input { get; }
    /// <summary>The layers, in order; softmax cross-entropy follows the last one.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Shapes[i] is layer i's input, Shapes[i + 1] its output; Shapes[0] is <see cref="Input"/>.</summary>
    public IReadOnlyList<TensorShape> Shapes { get; }

    /// <summary>Width of the last layer's output: the number of classes the softmax spreads over.</summary>
    public int Classes => Shapes[^1].Channels;

    /// <summary>Name and shape of every parameter in the fixed order (layer by layer, weights then bias).</summary>
    public IReadOnlyList<(string Name, int[] Shape, int Layer, bool IsBias)> ParameterLayout()
    {
        var list = new List<(string, int[], int, bool)>();
        for (int i = 0; i < Layers.Count; i++)
        {
            var inShape = Shapes[i];
            switch (Layers[i])
            {
                case Conv2DSpec c:
                    list.Add(($"layer{i}.conv2d.weights", new[] { c.Filters, inShape.Channels, c.KernelHeight, c.KernelWidth }, i, false));
                    list.Add(($"layer{i}.conv2d.bias", new[] { c.Filters }, i, true));
                    break;
                case DenseSpec d:
                    list.Add(($"layer{i}.dense.weights", new[] { d.Units, inShape.Length }, i, false));
                    list.Add(($"layer{i}.dense.bias", new[] { d.Units }, i, true));
                    break;
            }
        }
        return list;
    }

    /// <summary>Total number of trainable scalars (431,242 for <see cref="MnistSeed"/>).</summary>
    public int ParameterCount => ParameterLayout().Sum(p => p.Shape.Aggregate(1, (a, b) => a * b));

    /// <summary>Start a description of a network on inputs of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static NetworkBuilder Builder(int channels, int height, int width) => new(new TensorShape(channels, height, width), []);

    /// <summary>
    /// The seed articles' MNIST model (Keras mnist_cnn): Conv32-3x3 relu, MaxPool2, Dropout .25, Conv64-3x3 relu, MaxPool2,
    /// Dropout .25, Flatten, Dense256 relu, Dense10 softmax on 1x28x28, padding 'valid', stride 1: 431,242 parameters.
    /// </summary>
    public static NetworkSpec MnistSeed() => Builder(1, 28, 28)
        .Conv2D(32, 3).Relu().MaxPool2D(2).Dropout(0.25)
        .Conv2D(64, 3).Relu().MaxPool2D(2).Dropout(0.25)
        .Flatten().Dense(256).Relu().Dense(10).Build();

    /// <summary>The same architecture on 3x32x32 CIFAR-10 images.</summary>
    public static NetworkSpec Cifar10Seed() => Builder(3, 32, 32)
        .Conv2D(32, 3).Relu().MaxPool2D(2).Dropout(0.25)
        .Conv2D(64, 3).Relu().MaxPool2D(2).Dropout(0.25)
        .Flatten().Dense(256).Relu().Dense(10).Build();
}

/// <summary>Immutable fluent description of a <see cref="NetworkSpec"/>: each call returns a new builder.</summary>
/// <param name="Input">Shape of one input sample.</param>
/// <param name="Layers">The layers added so far, in order.</param>
public sealed record NetworkBuilder(TensorShape Input, IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>A builder with <paramref name="layer"/> appended.</summary>
    public NetworkBuilder Add(LayerSpec layer) => this with { Layers = [.. Layers, layer] };
    /// <summary>Appends a square <see cref="Conv2DSpec"/>: Keras <c>Conv2D(filters, (kernel, kernel), strides=stride, padding=padding)</c>.</summary>
    /// <param name="filters">Output channels, &gt; 0.</param>
    /// <param name="kernel">Kernel height and width, &gt; 0.</param>
    /// <param name="stride">Stride along both axes, &gt; 0.</param>
    /// <param name="padding">Valid (default) or Same.</param>
    public NetworkBuilder Conv2D(int filters, int kernel, int stride = 1, Padding padding = Padding.Valid) =>
        Add(new Conv2DSpec(filters, kernel, kernel, stride, padding));
    /// <summary>Appends a <see cref="MaxPool2DSpec"/>: Keras <c>MaxPooling2D(pool, strides=stride)</c>.</summary>
    /// <param name="pool">Window height and width, &gt; 0.</param>
    /// <param name="stride">Stride; 0 (default) means equal to <paramref name="pool"/>.</param>
    public NetworkBuilder MaxPool2D(int pool = 2, int stride = 0) => Add(new MaxPool2DSpec(pool, stride));
    /// <summary>Appends a <see cref="DropoutSpec"/> that drops each element with probability <paramref name="rate"/> in [0, 1) during training.</summary>
    public NetworkBuilder Dropout(double rate) => Add(new DropoutSpec(rate));
    /// <summary>Appends a <see cref="FlattenSpec"/> (NCHW order).</summary>
    public NetworkBuilder Flatten() => Add(new FlattenSpec());
    /// <summary>Appends a fully connected <see cref="DenseSpec"/> with <paramref name="units"/> outputs (no activation; the last Dense feeds the softmax).</summary>
    public NetworkBuilder Dense(int units) => Add(new DenseSpec(units));
    /// <summary>Appends a <see cref="ReluSpec"/>.</summary>
    public NetworkBuilder Relu() => Add(new ReluSpec());
    /// <summary>The finished <see cref="NetworkSpec"/>; the checks of its constructor run here.</summary>
    /// <exception cref="ArgumentException">A layer does not fit, or the last output is not a flat vector of at least 2 classes.</exception>
    public NetworkSpec Build() => new(Input, Layers);
}
