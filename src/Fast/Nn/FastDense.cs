namespace NetNumerics.Fast;

/// <summary>
/// Dense layer as GEMMs over the chunk: Y[n x out] = b + X W^T; dW[out x in] = dY^T X; db = column sums of dY; dX = dY W.
/// W^T and W are packed for the GEMM once per step (<see cref="Prepare"/>), not once per chunk.
/// </summary>
public sealed unsafe class FastDense : FastLayer
{
    readonly int nIn, nOut;
    readonly ArraySegment<float> packedBuffer;
    readonly float* packedWt, packedW;

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

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        Sgemm.Multiply(nOut, nIn, n, dy, 1, nOut, x, nIn, 1, grad, nIn, accumulate: false, s.Gemm);
        ColumnSums(dy, n, nOut, grad + WeightCount);
        if (dx != null) Sgemm.MultiplyPacked(n, nIn, nOut, dy, nOut, 1, packedW, dx, nIn, accumulate: false, s.Gemm);
    }
}
