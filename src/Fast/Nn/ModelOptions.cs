namespace NetNumerics.Fast.Nn;

/// <summary>
/// Options of <see cref="FastModel"/>. <see cref="MaxDegreeOfParallelism"/> only decides how many threads share the
/// work: the batch is always cut into fixed chunks of <see cref="FastModel.ChunkSize"/> samples whose gradients are
/// summed in a fixed pairwise tree, so the results are bit-identical for every value (and every rank count of <see cref="Ranks"/>). <see cref="MaxBatch"/> sizes the
/// workspaces once (TrainStep rejects larger batches; Evaluate and Predict walk larger inputs in blocks).
/// </summary>
public sealed record FastModelOptions
{
    /// <summary>Threads that share a training step, &gt; 0; default the processor count. Changes speed, never bits.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>The largest batch TrainStep accepts, &gt; 0; default 256. Workspaces are sized for it in the constructor.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>
    /// The ranks of a data-parallel job that share every batch (null = this process alone). Each rank computes whole subtrees
    /// of the batch's chunk reduction tree and the ranks gather their partial results, so every rank ends a step with the
    /// gradient one process would compute, bit for bit. Every rank must build the model with the same spec, seed and options.
    /// </summary>
    public NetNumerics.Distributed.ICommunicator? Ranks { get; init; }

    /// <summary>
    /// Run 3x3 stride-1 convolutions with input channels a multiple of 16 and filters a multiple of 32 (the seed CNNs' second
    /// conv) by Winograd's F(2x2, 3x3), default true: 2.25x fewer multiplies in the forward pass and in both gradients. The
    /// rounding differs from the direct sum (each result is within gamma_d of the same algorithm on absolute values, a bound
    /// the properties prove); false runs them as im2col + GEMM, whose results are within the direct sum's bound. Either
    /// way the bits are the same on 1 or 2 threads and on every rank count.
    /// </summary>
    public bool WinogradConvolutions { get; init; } = true;

    /// <summary>Run Conv2D, ReLU, MaxPool2D as one fused layer where the spec allows (<see cref="Layers.FastConvReluPool"/>): the same
    /// bits either way; off only to compare the two in tests.</summary>
    internal bool FuseLayers { get; init; } = true;
}
