namespace NetNumerics.Data;

/// <summary>
/// A labelled image set in memory: <see cref="Count"/> images of Channels x Height x Width floats
/// (NCHW, scaled to [0, 1]) and a label in [0, Classes) for each.
/// </summary>
public sealed class Dataset
{
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

    public float[] Images { get; }
    public int[] Labels { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    public int Count => Labels.Length;
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
