namespace NetNumerics.Nn;

/// <summary>Keras' padding modes for Conv2D: 'valid' (no padding) or 'same' (output = ceil(input / stride)).</summary>
public enum Padding
{
    /// <summary>Keras 'valid': no padding; output size floor((n - k) / stride) + 1.</summary>
    Valid,

    /// <summary>Keras 'same': zero padding so the output size is ceil(n / stride); the odd pixel of padding goes after (TensorFlow).</summary>
    Same,
}

/// <summary>Shape of one sample's activation: channels x height x width (NCHW without the N). Flat vectors are (n, 1, 1).</summary>
/// <param name="Channels">C, channels (or the length of a flat vector).</param>
/// <param name="Height">H, rows (1 for a flat vector).</param>
/// <param name="Width">W, columns (1 for a flat vector).</param>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>Floats in one sample of this shape: Channels x Height x Width.</summary>
    public int Length => Channels * Height * Width;
    /// <summary>"CxHxW", e.g. "32x26x26".</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

/// <summary>One layer of a <see cref="NetworkSpec"/>: its kind and hyperparameters, shared by the Reference and Fast models.</summary>
public abstract record LayerSpec
{
    /// <summary>Shape of this layer's output for a given input shape; throws ArgumentException if the input does not fit.</summary>
    public abstract TensorShape OutputShape(TensorShape input);
}

/// <summary>
/// Keras Conv2D(Filters, (KernelHeight, KernelWidth), strides=Stride, padding=Padding), bias on, no activation
/// (follow it with <see cref="ReluSpec"/>). Weights [Filters, in_channels, KernelHeight, KernelWidth] (PyTorch order), bias [Filters].
/// Output size: valid: floor((H - kh) / s) + 1; same: ceil(H / s), padding total max((out-1)s + kh - H, 0), top = total / 2 (TensorFlow).
/// </summary>
/// <param name="Filters">Output channels, &gt; 0 (Keras <c>filters</c>, PyTorch <c>out_channels</c>).</param>
/// <param name="KernelHeight">Kernel rows, &gt; 0.</param>
/// <param name="KernelWidth">Kernel columns, &gt; 0.</param>
/// <param name="Stride">Stride along both axes, &gt; 0; default 1.</param>
/// <param name="Padding">Valid (default) or Same.</param>
public sealed record Conv2DSpec(int Filters, int KernelHeight, int KernelWidth, int Stride = 1, Padding Padding = Padding.Valid) : LayerSpec
{
    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        Guard.Positive(Filters, nameof(Filters));
        Guard.Positive(KernelHeight, nameof(KernelHeight));
        Guard.Positive(KernelWidth, nameof(KernelWidth));
        Guard.Positive(Stride, nameof(Stride));
        int oh = OutSize(input.Height, KernelHeight), ow = OutSize(input.Width, KernelWidth);
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException(
                $"Conv2D kernel {KernelHeight}x{KernelWidth} with {Padding} padding does not fit input {input}; the kernel must not exceed the input.",
                nameof(input));
        return new TensorShape(Filters, oh, ow);
    }

    int OutSize(int n, int k) => Padding == Padding.Valid ? (n < k ? 0 : (n - k) / Stride + 1) : (n + Stride - 1) / Stride;

    /// <summary>Padding before the first row (or column) for an input of size <paramref name="n"/> along an axis with kernel <paramref name="k"/>.</summary>
    public int PadBefore(int n, int k)
    {
        if (Padding == Padding.Valid) return 0;
        int outSize = (n + Stride - 1) / Stride;
        return Math.Max((outSize - 1) * Stride + k - n, 0) / 2;
    }
}

/// <summary>Keras MaxPooling2D(pool_size=Pool, strides=Stride (defaults to Pool), padding='valid'). Ties: the first maximum in row-major window order gets the gradient.</summary>
/// <param name="Pool">Window height and width, &gt; 0; default 2.</param>
/// <param name="Stride">Stride; 0 (default) means equal to <paramref name="Pool"/>.</param>
public sealed record MaxPool2DSpec(int Pool = 2, int Stride = 0) : LayerSpec
{
    /// <summary>The stride used: <see cref="Stride"/>, or <see cref="Pool"/> when Stride is 0 (Keras' strides=None).</summary>
    public int EffectiveStride => Stride == 0 ? Pool : Stride;

    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        Guard.Positive(Pool, nameof(Pool));
        Guard.NonNegative(Stride, nameof(Stride));
        if (input.Height < Pool || input.Width < Pool)
            throw new ArgumentException($"MaxPool2D pool {Pool} does not fit input {input}.", nameof(input));
        return new TensorShape(input.Channels, (input.Height - Pool) / EffectiveStride + 1, (input.Width - Pool) / EffectiveStride + 1);
    }
}

/// <summary>Inverted dropout (Keras Dropout(Rate)): in training keep each element with probability 1 - Rate and scale kept ones by 1/(1 - Rate); identity in inference. The mask is a pure function of (seed, step, layer, sample, element) through <see cref="CounterRng"/>, the same in the Reference and the Fast model.</summary>
/// <param name="Rate">Probability of dropping an element in training, in [0, 1) (Keras <c>rate</c>, PyTorch <c>p</c>).</param>
public sealed record DropoutSpec(double Rate) : LayerSpec
{
    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        Guard.UnitInterval(Rate, nameof(Rate));
        return input;
    }
}

/// <summary>Keras Flatten on NCHW: sample element (c, h, w) goes to index c*H*W + h*W + w.</summary>
public sealed record FlattenSpec : LayerSpec
{
    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input) => new(input.Length, 1, 1);
}

/// <summary>Keras Dense(Units), bias on, no activation. Weights [Units, in] (PyTorch Linear order: y = W x + b), bias [Units]. Needs a flat input (use Flatten first).</summary>
/// <param name="Units">Outputs, &gt; 0 (Keras <c>units</c>, PyTorch <c>out_features</c>).</param>
public sealed record DenseSpec(int Units) : LayerSpec
{
    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input)
    {
        Guard.Positive(Units, nameof(Units));
        if (input.Height != 1 || input.Width != 1)
            throw new ArgumentException($"Dense needs a flat input (n x 1 x 1), but got {input}; put a Flatten layer before it.", nameof(input));
        return new TensorShape(Units, 1, 1);
    }
}

/// <summary>ReLU: y = max(x, 0); derivative 1 where x &gt; 0, else 0 (TensorFlow's choice at 0).</summary>
public sealed record ReluSpec : LayerSpec
{
    /// <inheritdoc />
    public override TensorShape OutputShape(TensorShape input) => input;
}
