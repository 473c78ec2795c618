namespace NetNumerics.Nn;

/// <summary>
/// Where one micro-batch sits in the large batch whose gradient is being accumulated: its first sample's index
/// <paramref name="Offset"/> and the large batch's size <paramref name="Total"/>. The last part is the one that reaches Total.
/// </summary>
/// <param name="Offset">Index in the large batch of the micro-batch's first sample, &gt;= 0.</param>
/// <param name="Total">Samples in the large batch, &gt; 0.</param>
public readonly record struct MicroBatch(int Offset, int Total);

/// <summary>
/// A model that can compute the gradient of one large batch in micro-batches with the same bits as one
/// <see cref="IModel.TrainStep"/> over the whole batch: each part scales the loss gradient by 1/Total (not by its own size),
/// draws dropout masks at its samples' positions in the large batch, and adds its share to the gradient buffers in the order
/// the whole batch would. Parts come in order (Offset 0 first, each starting where the previous ended); Gradients are
/// complete, and published, after the part that reaches Total.
/// </summary>
public interface IAccumulatingModel : IModel
{
    /// <summary>Micro-batch sizes (every part but the last) must be multiples of this for the bits to match (1: any size).</summary>
    int AccumulationQuantum { get; }

    /// <summary>
    /// Forward and backward on one micro-batch of a large batch (see <see cref="MicroBatch"/>); returns this part's loss sum
    /// and correct count. A part that would break bit-identity (misaligned offset or size, out of order, larger than the model
    /// can hold) is an ArgumentException saying which sizes work.
    /// </summary>
    BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step, MicroBatch part);
}
