namespace NetNumerics.Data;

/// <summary>
/// A labelled image set in memory: <see cref="Count"/> images of Channels x Height x Width floats
/// (NCHW, scaled to [0, 1]) and a label in [0, Classes) for each.
/// </summary>
public sealed class Dataset
{
    /// <summary>Wraps <paramref name="images"/> and <paramref name="labels"/> (not copied) after checking they fit together.</summary>
    /// <param name="images"><c>labels.Length * channels * height * width</c> floats, sample after sample, each sample NCHW.</param>
    /// <param name="labels">One class index per sample, each in [0, <paramref name="classes"/>).</param>
    /// <param name="channels">Channels per image, &gt; 0 (1 for MNIST, 3 for CIFAR-10).</param>
    /// <param name="height">Image height in pixels, &gt; 0.</param>
    /// <param name="width">Image width in pixels, &gt; 0.</param>
    /// <param name="classes">Number of classes, &gt; 0.</param>
    /// <exception cref="ArgumentException">The lengths do not match or a label is outside [0, classes).</exception>
    public Dataset(float[] images, int[] labels, int channels, int height, int width, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Positive(channels, nameof(channels));
        Guard.Positive(height, nameof(height));
        Guard.Positive(width, nameof(width));
        Guard.Positive(classes, nameof(classes));
        long expected = (long)labels.Length * channels * height * width;
        if (images.LongLength != expected)
            throw new ArgumentException(
                $"images has {images.LongLength} floats, but {labels.Length} labels of {channels}x{height}x{width} need {expected}.",
                nameof(images));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"labels[{i}] is {labels[i]}, outside [0, {classes}).", nameof(labels));
        Images = images; Labels = labels; Channels = channels; Height = height; Width = width; Classes = classes;
    }

    /// <summary>The pixels, <see cref="Count"/> samples of <see cref="SampleLength"/> floats each (NCHW); the array passed in, not a copy.</summary>
    public float[] Images { get; }
    /// <summary>The class of each sample, in [0, <see cref="Classes"/>); the array passed in, not a copy.</summary>
    public int[] Labels { get; }
    /// <summary>Channels per image (C of NCHW).</summary>
    public int Channels { get; }
    /// <summary>Image height in pixels (H of NCHW).</summary>
    public int Height { get; }
    /// <summary>Image width in pixels (W of NCHW).</summary>
    public int Width { get; }
    /// <summary>Number of classes; every label is below it.</summary>
    public int Classes { get; }
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;
    /// <summary>Floats per sample: Channels x Height x Width (what <see cref="Nn.IModel.InputLength"/> must equal).</summary>
    public int SampleLength => Channels * Height * Width;

    /// <summary>Samples [start, start + count) as a new dataset (copies).</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count),
                $"slice [{start}, {start + count}) is outside the {Count} samples of the dataset.");
        return new Dataset(Images.AsSpan(start * SampleLength, count * SampleLength).ToArray(),
            Labels.AsSpan(start, count).ToArray(), Channels, Height, Width, Classes);
    }
}
