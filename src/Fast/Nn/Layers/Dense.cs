using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;
namespace NetNumerics.Fast.Nn.Layers;

/// <summary>
/// Dense layer as GEMMs over the chunk: Y[n x out] = b + X W^T; dW[out x in] = dY^T X; db = column sums of dY; dX = dY W.
/// W^T and W are packed for the GEMM once per step (<see cref="Prepare"/>), not once per chunk.
/// With <see cref="DeferWeightGradient"/> (the model's path: X and dY live in whole-batch buffers) Backward computes only dX;
/// the model then calls <see cref="WeightGradientBlock"/> for fixed column blocks of dW, each a GEMM over the whole batch
/// (K = batch) instead of one 1.6 MB partial dW per chunk summed afterwards.
/// </summary>
internal sealed unsafe class FastDense : FastLayer
{
    readonly int nIn, nOut;
    readonly ArraySegment<float> packedBuffer;
    readonly float* packedWt, packedW;
    float* batchX, batchDy;

    /// <summary>Columns of dW per <see cref="WeightGradientBlock"/> (a multiple of the GEMM's 32-column panel).</summary>
    public const int GradientBlockColumns = 128;

    public FastDense(DenseSpec spec, TensorShape input, int index) : base(input, spec.OutputShape(input), index)
    {
        nIn = input.Length; nOut = spec.Units;
        int wtLength = Sgemm.PackedLength(nIn, nOut);
        packedBuffer = AlignedBuffer.Allocate<float>(wtLength + Sgemm.PackedLength(nOut, nIn));
        fixed (float* p = packedBuffer.Array) { packedWt = p + packedBuffer.Offset; packedW = packedWt + wtLength; }
    }

    public override int WeightCount => nIn * nOut;
    public override int BiasCount => nOut;

    public override void Prepare()
    {
        Sgemm.Pack(nIn, nOut, Weights, 1, nIn, packedWt);    // W^T: element (i, o) at W[o * in + i]
        Sgemm.Pack(nOut, nIn, Weights, nIn, 1, packedW);
    }

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        BroadcastRows(y, n, nOut, Bias);
        Sgemm.MultiplyPacked(n, nOut, nIn, x, nIn, 1, packedWt, y, nOut, accumulate: true, s.Gemm);
    }

    /// <summary>X and dY of the whole batch are at these (pinned) buffers, rows in batch order: Backward then computes only dX,
    /// and dW, db come from <see cref="WeightGradientBlock"/>.</summary>
    internal void DeferWeightGradient(float* x, float* dy) { batchX = x; batchDy = dy; }

    public int WeightGradientBlocks => (nIn + GradientBlockColumns - 1) / GradientBlockColumns;

    /// <summary>
    /// Columns [b * 128, b * 128 + 128) of dW = dY^T X over the whole batch (and db, rows in order, with block 0). Each element is
    /// summed by one GEMM in an order fixed by the batch size alone, so which thread runs which block does not matter.
    /// </summary>
    public void WeightGradientBlock(int block, int batch, float* grad, GemmWorkspace ws)
    {
        int j0 = block * GradientBlockColumns, cols = Math.Min(GradientBlockColumns, nIn - j0);
        Sgemm.Multiply(nOut, cols, batch, batchDy, 1, nOut, batchX + j0, nIn, 1, grad + j0, nIn, accumulate: false, ws);
        if (block == 0) ColumnSums(batchDy, batch, nOut, grad + WeightCount);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        if (batchX != null)
        {
            if (dx != null) Sgemm.MultiplyPacked(n, nIn, nOut, dy, nOut, 1, packedW, dx, nIn, accumulate: false, s.Gemm);
            return;
        }
        Sgemm.Multiply(nOut, nIn, n, dy, 1, nOut, x, nIn, 1, grad, nIn, accumulate: false, s.Gemm);
        ColumnSums(dy, n, nOut, grad + WeightCount);
        if (dx != null) Sgemm.MultiplyPacked(n, nIn, nOut, dy, nOut, 1, packedW, dx, nIn, accumulate: false, s.Gemm);
    }
}
