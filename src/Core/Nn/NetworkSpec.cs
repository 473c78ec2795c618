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

    public TensorShape Input { get; }
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Shapes[i] is layer i's input, Shapes[i + 1] its output; Shapes[0] is <see cref="Input"/>.</summary>
    public IReadOnlyList<TensorShape> Shapes { get; }

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
public sealed record NetworkBuilder(TensorShape Input, IReadOnlyList<LayerSpec> Layers)
{
    public NetworkBuilder Add(LayerSpec layer) => this with { Layers = [.. Layers, layer] };
    public NetworkBuilder Conv2D(int filters, int kernel, int stride = 1, Padding padding = Padding.Valid) =>
        Add(new Conv2DSpec(filters, kernel, kernel, stride, padding));
    public NetworkBuilder MaxPool2D(int pool = 2, int stride = 0) => Add(new MaxPool2DSpec(pool, stride));
    public NetworkBuilder Dropout(double rate) => Add(new DropoutSpec(rate));
    public NetworkBuilder Flatten() => Add(new FlattenSpec());
    public NetworkBuilder Dense(int units) => Add(new DenseSpec(units));
    public NetworkBuilder Relu() => Add(new ReluSpec());
    public NetworkSpec Build() => new(Input, Layers);
}
