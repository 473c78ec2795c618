namespace NetNumerics.Fast;

/// <summary>
/// Dense layer as GEMMs over the chunk: Y[n x out] = b + X W^T with W^T [in x out] built once per step (so the GEMM packs
/// contiguous rows); dW[out x in] = dY^T X; db = column sums of dY; dX = dY W.
/// </summary>
public sealed unsafe class FastDense : FastLayer
{
    readonly int nIn, nOut;
    readonly ArraySegment<float> wtBuffer;
    readonly float* wt;

    public FastDense(DenseSpec spec, TensorShape input, int index) : base(input, spec.OutputShape(input), index)
    {
        nIn = input.Length; nOut = spec.Units;
        wtBuffer = AlignedBuffer.Allocate<float>(nIn * nOut);
        fixed (float* p = wtBuffer.Array) wt = p + wtBuffer.Offset;
    }

    public override int WeightCount => nIn * nOut;
    public override int BiasCount => nOut;

    public override void Prepare()
    {
        float* w = Weights;
        for (int o = 0; o < nOut; o++)
            for (int i = 0; i < nIn; i++) wt[(long)i * nOut + o] = w[(long)o * nIn + i];
    }

    public override void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s)
    {
        BroadcastRows(y, n, nOut, Bias);
        Sgemm.Multiply(n, nOut, nIn, x, nIn, 1, wt, nOut, 1, y, nOut, accumulate: true, s.Gemm);
    }

    public override void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s)
    {
        Sgemm.Multiply(nOut, nIn, n, dy, 1, nOut, x, nIn, 1, grad, nIn, accumulate: false, s.Gemm);
        ColumnSums(dy, n, nOut, grad + WeightCount);
        if (dx != null) Sgemm.Multiply(n, nIn, nOut, dy, nOut, 1, Weights, nIn, 1, dx, nIn, accumulate: false, s.Gemm);
    }
}
