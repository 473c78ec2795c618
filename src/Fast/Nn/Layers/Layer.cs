using NetNumerics.Nn;
using NetNumerics.Fast.Kernels;
namespace NetNumerics.Fast.Nn.Layers;

/// <summary>What a layer needs to know about the chunk it runs on: where the chunk starts in the batch, and the dropout key.</summary>
internal readonly record struct ChunkContext(int BatchStart, bool Training, ulong Seed, long Step);

/// <summary>
/// One layer's buffers for a call: <see cref="Floats"/>, per-worker scratch sized once (im2col blocks, GEMM blocks), valid
/// only during the call; and <see cref="State"/>, set by the caller to this call's rows of a per-sample buffer that keeps what
/// Forward leaves for Backward (<see cref="FastLayer.StateFloats"/> per sample: dropout mask, max-pool winners), which may run
/// on another worker.
/// </summary>
internal sealed unsafe class LayerScratch
{
    readonly ArraySegment<float> floats;
    readonly ArraySegment<int> ints;

    public LayerScratch(int floatCount, int intCount, GemmWorkspace gemm)
    {
        floats = AlignedBuffer.Allocate<float>(Math.Max(floatCount, 1));
        ints = AlignedBuffer.Allocate<int>(Math.Max(intCount, 1));
        fixed (float* f = floats.Array) Floats = f + floats.Offset;
        fixed (int* i = ints.Array) Ints = i + ints.Offset;
        Gemm = gemm;
    }

    public float* Floats { get; }
    public int* Ints { get; }

    /// <summary>The call's first row of the layer's per-sample state (row r at State + r * StateFloats).</summary>
    public float* State { get; set; }
    public GemmWorkspace Gemm { get; }
}

/// <summary>
/// One layer of the Fast network. Activations are NHWC per sample (channels innermost, so an im2col row is a run of
/// contiguous channel vectors and convolutions become GEMMs with the channels as N). Parameters live in a flat
/// "internal" buffer at <see cref="ParamOffset"/>: the spec layout, except conv weights are [out, kh, kw, in]
/// (the GEMM's row order); the model converts when it publishes gradients.
/// Forward/Backward run on n &lt;= chunk samples, single-threaded; Backward OVERWRITES dx and this layer's gradients.
/// </summary>
internal abstract unsafe class FastLayer
{
    protected FastLayer(TensorShape input, TensorShape output, int index) { Input = input; Output = output; Index = index; }

    public TensorShape Input { get; }
    public TensorShape Output { get; }
    public int Index { get; }
    public int ParamOffset { get; internal set; }
    public virtual int WeightCount => 0;
    public virtual int BiasCount => 0;

    /// <summary>Per-worker scratch floats for calls of up to <paramref name="chunk"/> rows.</summary>
    public virtual int ScratchFloats(int chunk) => 0;

    /// <summary>Floats per sample that Forward leaves for Backward in <see cref="LayerScratch.State"/>.</summary>
    public virtual int StateFloats => 0;
    public virtual int ScratchInts(int chunk) => 0;

    /// <summary>This layer's weights (internal layout) then bias, inside the model's pinned parameter buffer.</summary>
    protected float* Weights { get; private set; }
    protected float* Bias => Weights + WeightCount;

    /// <summary>Point the layer at its slot of a pinned internal parameter buffer (set once).</summary>
    public virtual void Bind(float* parameters) => Weights = parameters + ParamOffset;

    /// <summary>How many consecutive layers of the spec, from <see cref="Index"/>, this layer runs (more than one when fused).</summary>
    internal virtual int SpecLayerCount => 1;

    /// <summary>Once per step, before the chunks run: derive read-only helpers (transposed weights) from the parameters.</summary>
    public virtual void Prepare() { }

    /// <summary>Convert weights from the spec layout (src) to the internal layout (dst), or back when <paramref name="toSpec"/>.</summary>
    public virtual void ConvertWeights(ReadOnlySpan<float> src, Span<float> dst, bool toSpec) => src[..WeightCount].CopyTo(dst);

    public abstract void Forward(float* x, float* y, int n, in ChunkContext ctx, LayerScratch s);

    /// <summary>dx may be null (first layer: no input gradient needed). grad points at this layer's slot of the chunk's gradient buffer.</summary>
    public abstract void Backward(float* x, float* y, float* dy, float* dx, int n, float* grad, in ChunkContext ctx, LayerScratch s);

    /// <summary>The Fast layer of one spec layer; winograd: convs that <see cref="Winograd3x3.Supports"/> run by Winograd F(2x2, 3x3).</summary>
    public static FastLayer Create(LayerSpec spec, int index, TensorShape input, bool winograd = false) => spec switch
    {
        Conv2DSpec c => new FastConv2D(c, input, index, winograd),
        MaxPool2DSpec m => new FastMaxPool2D(m, input, index),
        DropoutSpec d => new FastDropout(d, input, index),
        FlattenSpec => new FastFlatten(input, index),
        DenseSpec d => new FastDense(d, input, index),
        ReluSpec => new FastRelu(input, index),
        _ => throw new ArgumentException($"layer {index} has unknown kind {spec.GetType().Name}.", nameof(spec)),
    };

    /// <summary>The layers that run the spec: one per spec layer, except that Conv2D, ReLU, MaxPool2D (windows tiling the map)
    /// become one <see cref="FastConvReluPool"/> when <paramref name="fuse"/> (same bits, fewer passes over memory).</summary>
    internal static FastLayer[] CreateAll(NetworkSpec spec, bool fuse, bool winograd)
    {
        var shapes = spec.Shapes; var layers = spec.Layers; var list = new List<FastLayer>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (fuse && i + 2 < layers.Count && layers[i] is Conv2DSpec c && layers[i + 1] is ReluSpec
                && layers[i + 2] is MaxPool2DSpec m && FastConvReluPool.CanFuse(m))
            {
                list.Add(new FastConvReluPool(new FastConv2D(c, shapes[i], i, winograd), m));
                i += 2;
            }
            else list.Add(Create(layers[i], i, shapes[i], winograd));
        }
        return list.ToArray();
    }

    /// <summary>sum over rows of a [rows x cols] matrix into dst[cols], rows in order (the bias gradient).</summary>
    protected static void ColumnSums(float* m, int rows, int cols, float* dst)
    {
        Vec.Zero(dst, cols);
        for (int r = 0; r < rows; r++) Vec.Add(dst, m + (long)r * cols, cols);
    }

    /// <summary>Fill each of the rows of a [rows x cols] matrix with the vector v (bias initialisation before a GEMM accumulates).</summary>
    protected static void BroadcastRows(float* m, int rows, int cols, float* v)
    {
        for (int r = 0; r < rows; r++) Vec.Copy(v, m + (long)r * cols, cols);
    }
}
