using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using NetNumerics.Fast.Nn.Layers;
using NetNumerics.Fast.Kernels;
using System.Numerics.Tensors;
using NetNumerics.Fast;

namespace NetNumerics.Fast.Nn;

/// <summary>
/// The Fast CNN: same spec, same initial weights (<see cref="GlorotUniform"/>), same parameter layout and same dropout
/// masks as <see cref="ReferenceModel"/>; NHWC activations, convolutions and dense layers as register-blocked GEMMs
/// (<see cref="Sgemm"/>). A step runs in three parallel phases. (1) The convolutional part (layers up to the last
/// convolution) runs forward on fixed chunks of <see cref="ChunkSize"/> samples. (2) The rest (dense layers, softmax) runs
/// forward and backward on blocks of whole-batch rows, so each dense weight matrix is streamed once per block rather than
/// once per chunk; rows are independent, so the blocking changes no bit. (3) The dense weight gradients are computed over
/// the whole batch in fixed column blocks (<see cref="FastDense.WeightGradientBlock"/>) while the chunks run the
/// convolutional part backward, each into its own gradient buffer; the buffers are summed in a fixed pairwise tree over the
/// chunks (<see cref="ReductionTree"/>). Work items are claimed dynamically and each item's result depends only on its index,
/// so the bits do not depend on the thread count. With <see cref="FastModelOptions.Ranks"/> the ranks of a data-parallel job
/// share every batch: each computes the chunks of its whole subtrees of that tree, and one gather per step gives every rank
/// the other ranks' subtree sums and the rows the dense weight gradients need, so every rank ends the step with the bits of
/// one process. All buffers are allocated in the constructor.
/// </summary>
public sealed unsafe partial class FastModel : IAccumulatingModel
{
    /// <summary>Samples per chunk, fixed whatever the thread and rank count: each chunk's gradient goes to its own buffer and the buffers are summed in a fixed tree.</summary>
    public const int ChunkSize = 8;

    readonly FastLayer[] layers;
    readonly TensorShape[] shapes;
    readonly int paramCount, maxChunks, workerCount;
    readonly ArraySegment<float> values, gradients, internalParams, internalGrads, chunkGrads, losses;
    readonly float* pInternal, pInternalGrads, pChunkGrads, pLosses;
    readonly bool[] correct;
    readonly Worker[] workers;
    readonly WorkerPool pool;
    readonly Action<int> forwardBody, rowBody, backwardBody;
    readonly (int Offset, int Length)[] paramSlots;
    readonly (FastDense Layer, int Block)[] denseBlocks;
    readonly int chunkParamEnd;   // parameters [0, chunkParamEnd) get per-chunk gradients; the rest are whole-batch dense
    readonly int split;           // layers [0, split) run per chunk; [split, L) per block of whole-batch rows
    readonly int maxRowBlock;
    readonly float*[] batchAct, batchDelta;   // whole-batch activations (all), deltas for shapes[split..L]
    readonly float*[] batchState;             // per layer: what Forward leaves for Backward, StateFloats per sample
    readonly List<object> keepAlive = [];

    // The job the workers run (set before pool.Run).
    float* jobInputs; int* jobLabels; float* jobProbabilities;
    int jobBatch, jobChunks, jobRowBlock, jobRowBlocks, jobDenseItems; ChunkContext jobContext;
    int jobOffset, jobTotal;   // the micro-batch's place in the large batch (0 and jobBatch for a whole batch)
    int jobChunkStart, jobChunkEnd, jobRowStart, jobRowEnd;   // the chunks and rows of this part this rank computes (all of them on one process)
    int nextOffset;            // where the next accumulated part must start (0 = a new large batch)
    int nextItem;   // work items are claimed first come, first served: results do not depend on who runs which item
    StepProfile? profile;

    /// <summary>Builds the model and allocates every buffer (parameters, gradients, per-chunk workspaces) and the worker threads.</summary>
    /// <param name="spec">The architecture (the same record the Reference model takes).</param>
    /// <param name="seed">Seed of the initial Glorot-uniform weights; the same seed gives the Reference model's weights.</param>
    /// <param name="options">Threads and the largest batch; defaults when null.</param>
    public FastModel(NetworkSpec spec, ulong seed, FastModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new FastModelOptions();
        Guard.Positive(options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism");
        Guard.Positive(options.MaxBatch, "MaxBatch");
        Spec = spec; Options = options;
        layers = FastLayer.CreateAll(spec, options.FuseLayers, options.WinogradConvolutions);
        shapes = layers.Select(l => l.Input).Append(layers[^1].Output).ToArray();

        var layout = spec.ParameterLayout();
        paramSlots = new (int, int)[layout.Count];
        int offset = 0, slot = 0;
        foreach (var layer in layers)
        {
            if (layer.WeightCount == 0) continue;
            layer.ParamOffset = offset;
            paramSlots[slot++] = (offset, layer.WeightCount);
            paramSlots[slot++] = (offset + layer.WeightCount, layer.BiasCount);
            offset += layer.WeightCount + layer.BiasCount;
        }
        paramCount = offset;

        values = AlignedBuffer.Allocate<float>(paramCount);
        gradients = AlignedBuffer.Allocate<float>(paramCount);
        internalParams = AlignedBuffer.Allocate<float>(paramCount);
        internalGrads = AlignedBuffer.Allocate<float>(paramCount);
        maxChunks = (options.MaxBatch + ChunkSize - 1) / ChunkSize;
        losses = AlignedBuffer.Allocate<float>(options.MaxBatch);
        correct = new bool[options.MaxBatch];
        pInternal = Pin(internalParams); pInternalGrads = Pin(internalGrads); pLosses = Pin(losses);
        foreach (var layer in layers) layer.Bind(pInternal);

        float[] backing = values.Array!; int baseOffset = values.Offset;
        GlorotUniform.Initialize(spec, seed, (p, i, x) => backing[baseOffset + paramSlots[p].Offset + i] = (float)x);
        Parameters = layout.Select((p, i) => new Parameter(p.Name, p.Shape,
            values.AsMemory(paramSlots[i].Offset, paramSlots[i].Length), gradients.AsMemory(paramSlots[i].Offset, paramSlots[i].Length))).ToArray();

        split = Array.FindLastIndex(layers, l => l is FastConv2D or FastConvReluPool) + 1;
        workerCount = Math.Min(options.MaxDegreeOfParallelism, maxChunks);
        maxRowBlock = Math.Min(options.MaxBatch, RowBlock(options.MaxBatch, workerCount));
        batchAct = new float*[shapes.Length]; batchDelta = new float*[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            batchAct[i] = Alloc(checked(options.MaxBatch * shapes[i].Length));   // every activation: Backward reads them a phase later
            if (i >= split) batchDelta[i] = Alloc(checked(options.MaxBatch * shapes[i].Length));
        }
        batchState = new float*[layers.Length];
        for (int i = 0; i < layers.Length; i++) batchState[i] = Alloc(checked(options.MaxBatch * layers[i].StateFloats));
        var deferred = layers.Skip(split).OfType<FastDense>().ToArray();
        foreach (var d in deferred)
        {
            int i = Array.IndexOf(layers, d);
            d.DeferWeightGradient(batchAct[i], batchDelta[i + 1]);
        }
        denseBlocks = deferred.SelectMany(d => Enumerable.Range(0, d.WeightGradientBlocks).Select(b => (d, b))).ToArray();
        chunkParamEnd = deferred.Length > 0 ? deferred.Min(d => d.ParamOffset) : paramCount;
        chunkGrads = AlignedBuffer.Allocate<float>(checked(maxChunks * Math.Max(chunkParamEnd, 1)));   // chunk c at c * chunkParamEnd
        pChunkGrads = Pin(chunkGrads);

        workers = Enumerable.Range(0, workerCount).Select(_ => new Worker(layers, shapes, split, maxRowBlock, spec.Classes)).ToArray();
        pool = new WorkerPool(workerCount);
        forwardBody = ForwardChunks; rowBody = RunRowBlocks; backwardBody = BackwardItems;
        if (options.Ranks is { Size: > 1 } r) InitRanks(r, deferred);
    }

    /// <summary>Rows per row-phase block: two blocks per worker (so a worker slowed by a shared machine leaves the other at most
    /// half its share to wait for), rounded up to the widest GEMM tile (12 rows). Rows are independent: any blocking, same bits.</summary>
    static int RowBlock(int batch, int workers) => ((batch + 2 * workers - 1) / (2 * workers) + 11) / 12 * 12;

    float* Alloc(int n)
    {
        var a = AlignedBuffer.Allocate<float>(Math.Max(n, 1));
        keepAlive.Add(a.Array!);
        return Pin(a);
    }

    /// <summary>Ends the worker threads when the model is collected (they hold no reference to it).</summary>
    ~FastModel() => pool?.Dispose();   // null when the constructor threw

    static float* Pin(ArraySegment<float> a) { fixed (float* p = a.Array) return p + a.Offset; }

    /// <summary>The architecture this model was built from.</summary>
    public NetworkSpec Spec { get; }
    /// <summary>The thread count and batch capacity it was built with.</summary>
    public FastModelOptions Options { get; }
    /// <inheritdoc />
    public int InputLength => Spec.Input.Length;
    /// <inheritdoc />
    public int Classes => Spec.Classes;
    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc/>
    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step)
    {
        int batch = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        nextOffset = 0;   // a whole batch starts afresh, even after an unfinished accumulation
        return TrainStep(inputs, labels, seed, step, new MicroBatch(0, batch));
    }

    /// <summary>Micro-batches must be whole chunks: the whole batch's chunks are then the parts' chunks, in the same order.</summary>
    public int AccumulationQuantum => ChunkSize;

    /// <inheritdoc/>
    /// <remarks>
    /// Bits as one batch of Total: the loss gradient is divided by Total; each part's chunks start at multiples of
    /// <see cref="ChunkSize"/> of the large batch (so every part but the last must be a multiple of 8 samples), and their
    /// convolution gradients are kept in the chunks' buffers at their places in the large batch and summed in the whole batch's
    /// tree with the last part; every activation, delta and per-sample state lives in the whole-batch buffers at the sample's position in the
    /// large batch, and the dense weight gradients are computed once, over all Total rows, with the last part.
    /// Total must fit in <see cref="FastModelOptions.MaxBatch"/>. <see cref="Evaluate"/> or <see cref="Predict"/> between parts
    /// abandons the unfinished accumulation (they reuse the buffers): the next part must then start a new batch.
    /// </remarks>
    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step, MicroBatch part)
    {
        int batch = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        CheckPart(batch, part);
        long t = profile != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        LoadParameters();
        profile?.AddPhase(StepProfile.Phase.Load, ref t);
        bool last = part.Offset + batch == part.Total;
        if (Distributed && !(part.Offset == 0 && last))
            throw new ArgumentException($"micro-batch of {batch} at offset {part.Offset} of {part.Total}: gradient accumulation does not run over ranks; train with batches of {part.Total}.", nameof(part));
        jobOffset = part.Offset; jobTotal = part.Total;
        fixed (float* x = inputs) fixed (int* y = labels)
            Run(x, y, null, batch, new ChunkContext(0, true, seed, step), denseGradients: last && !Distributed, ref t);
        nextOffset = last ? 0 : part.Offset + batch;
        if (last)
        {
            if (Distributed) ExchangeStep(batch);   // subtree sums and dense rows from every rank, then the dense dW
            else ReduceGradients((part.Total + ChunkSize - 1) / ChunkSize);
            profile?.AddPhase(StepProfile.Phase.Reduce, ref t);
            PublishGradients();
            profile?.AddPhase(StepProfile.Phase.Publish, ref t);
        }
        return Sum(batch);
    }

    void CheckPart(int batch, MicroBatch part)
    {
        if (part.Total > Options.MaxBatch)
            throw new ArgumentException(part.Offset == 0 && batch == part.Total
                ? $"labels has {batch} samples, more than MaxBatch = {Options.MaxBatch}; raise FastModelOptions.MaxBatch."
                : $"the accumulated batch has {part.Total} samples, more than MaxBatch = {Options.MaxBatch}; raise FastModelOptions.MaxBatch to the whole batch.",
                part.Offset == 0 && batch == part.Total ? "labels" : "part");
        if (part.Offset < 0 || part.Offset + batch > part.Total)
            throw new ArgumentException(
                $"micro-batch of {batch} samples at offset {part.Offset} does not fit in a batch of {part.Total}.", "part");
        if (part.Offset != nextOffset)
            throw new ArgumentException(
                $"micro-batch at offset {part.Offset}, but the accumulated batch continues at {nextOffset}: parts come in order, each where the previous ended.", "part");
        if (part.Offset + batch < part.Total && batch % ChunkSize != 0)
            throw new ArgumentException(
                $"micro-batch of {batch} samples: accumulation gives the large batch's bits only for micro-batches of a multiple of {ChunkSize} samples (the model's chunk; the last part may be shorter). Use 8, 16, 24, ...", "part");
    }

    /// <summary>The layers as they run (fused where <see cref="FastModelOptions.FuseLayers"/>), for benchmarks and tests.</summary>
    internal IReadOnlyList<FastLayer> RunLayers => layers;

    /// <summary>Benchmarks only: time every layer call and serial phase of <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, ulong, long)"/> from now on (see <see cref="StepProfile"/>).</summary>
    internal StepProfile EnableProfiling()
    {
        profile ??= new StepProfile(layers.Length, workerCount);
        for (int w = 0; w < workerCount; w++) workers[w].Ticks = profile.Worker(w);
        return profile;
    }

    /// <inheritdoc />
    public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int total = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        LoadParameters();
        double lossSum = 0; int right = 0; long unused = 0;
        fixed (float* x = inputs) fixed (int* y = labels)
            for (int start = 0; start < total; start += Options.MaxBatch)
            {
                int batch = Math.Min(Options.MaxBatch, total - start);
                Run(x + (long)start * InputLength, y + start, null, batch, new ChunkContext(0, false, 0, 0), denseGradients: false, ref unused);
                if (Distributed) ExchangeLosses(batch);   // each rank ran its chunks; all ranks then hold every row's loss
                for (int s = 0; s < batch; s++) { lossSum += pLosses[s]; if (correct[s]) right++; }
            }
        return new BatchResult(lossSum, right, total);
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities)
    {
        int total = ModelGuard.Predict(inputs.Length, probabilities.Length, InputLength, Classes);
        LoadParameters();
        long unused = 0;
        fixed (float* x = inputs) fixed (float* p = probabilities)
            for (int start = 0; start < total; start += Options.MaxBatch)
            {
                int batch = Math.Min(Options.MaxBatch, total - start);
                Run(x + (long)start * InputLength, null, p + (long)start * Classes, batch, new ChunkContext(0, false, 0, 0), denseGradients: false, ref unused, share: false);
            }
    }

    BatchResult Sum(int batch)
    {
        double lossSum = 0; int right = 0;
        for (int s = 0; s < batch; s++) { lossSum += pLosses[s]; if (correct[s]) right++; }
        return new BatchResult(lossSum, right, batch);
    }

    /// <summary>Copy the (optimizer-updated) spec-layout values into the internal layout and let layers build their transposes.</summary>
    void LoadParameters()
    {
        for (int i = 0; i < layers.Length; i++)
        {
            var l = layers[i];
            if (l.WeightCount == 0) continue;
            l.ConvertWeights(values.AsSpan(l.ParamOffset, l.WeightCount), internalParams.AsSpan(l.ParamOffset, l.WeightCount), toSpec: false);
            values.AsSpan(l.ParamOffset + l.WeightCount, l.BiasCount).CopyTo(internalParams.AsSpan(l.ParamOffset + l.WeightCount, l.BiasCount));
            l.Prepare();
        }
    }

    /// <summary>One part's phases on this rank's chunks and rows (with <paramref name="share"/> and ranks), else on all of them.</summary>
    void Run(float* inputs, int* labels, float* probabilities, int batch, ChunkContext context, bool denseGradients, ref long t, bool share = true)
    {
        if (!context.Training) { jobOffset = 0; jobTotal = batch; nextOffset = 0; }   // evaluation reuses the buffers: an unfinished accumulation is abandoned
        jobDenseItems = denseGradients ? denseBlocks.Length : 0;   // the dense dW over all rows of the large batch, with its last part
        if (!context.Training) { jobOffset = 0; jobTotal = batch; }
        jobInputs = inputs; jobLabels = labels; jobProbabilities = probabilities;
        jobBatch = batch; jobContext = context;
        jobChunks = (batch + ChunkSize - 1) / ChunkSize;
        (jobChunkStart, jobChunkEnd) = share && Distributed ? ReductionTree.ChunksOf(ranks!.Rank, ranks.Size, jobChunks) : (0, jobChunks);
        jobRowStart = jobChunkStart * ChunkSize; jobRowEnd = Math.Min(jobChunkEnd * ChunkSize, batch);
        int rows = jobRowEnd - jobRowStart, chunks = jobChunkEnd - jobChunkStart;
        jobRowBlock = RowBlock(Math.Max(rows, 1), workerCount);
        jobRowBlocks = (rows + jobRowBlock - 1) / jobRowBlock;
        nextItem = 0;
        pool.Run(forwardBody, Math.Min(workerCount, chunks));
        profile?.AddPhase(StepProfile.Phase.ChunksForward, ref t);
        nextItem = 0;
        pool.Run(rowBody, Math.Min(workerCount, jobRowBlocks));
        profile?.AddPhase(StepProfile.Phase.Rows, ref t);
        if (!context.Training) return;
        nextItem = 0;
        pool.Run(backwardBody, Math.Min(workerCount, jobDenseItems + chunks));
        profile?.AddPhase(StepProfile.Phase.ChunksBackward, ref t);
    }

    // Dynamic claiming balances a shared, noisy machine; an item's result depends only on its index (every worker buffer
    // is written before it is read within the item), so the bits are the same whoever runs it.
    int Claim() => Interlocked.Increment(ref nextItem) - 1;

    /// <summary>Activation i of the rows from start of this part (whole-batch buffer, at the rows' place in the large batch);
    /// delta i: a worker's chunk buffer below split (made and used in the backward phase), the whole-batch buffer above.</summary>
    float* Act(Worker wk, int i, int start) => batchAct[i] + (long)(jobOffset + start) * shapes[i].Length;
    float* Delta(Worker wk, int i, int start) => i >= split ? batchDelta[i] + (long)(jobOffset + start) * shapes[i].Length : wk.Delta[i];

    /// <summary>Layer i's scratch for a call on rows from start, its state pointed at those rows.</summary>
    LayerScratch Scratch(Worker wk, int i, int start)
    {
        var s = wk.Scratch[i];
        s.State = batchState[i] + (long)(jobOffset + start) * layers[i].StateFloats;
        return s;
    }

    void ForwardChunks(int w)
    {
        var wk = workers[w];
        for (int chunk; (chunk = jobChunkStart + Claim()) < jobChunkEnd;)
        {
            int start = chunk * ChunkSize, n = Math.Min(ChunkSize, jobBatch - start);
            var ctx = jobContext with { BatchStart = jobOffset + start };   // position in the large batch: dropout masks
            long t = StepProfile.Start(wk.Ticks);
            Layout.NchwToNhwc(jobInputs + (long)start * InputLength, Act(wk, 0, start), n, shapes[0]);
            for (int i = 0; i < split; i++)
            {
                layers[i].Forward(Act(wk, i, start), Act(wk, i + 1, start), n, ctx, Scratch(wk, i, start));
                StepProfile.Add(wk.Ticks, 2 * i, ref t);
            }
        }
    }

    /// <summary>Layers [split, L) forward, softmax and loss, and (training) those layers backward, on rows [start, start + n).</summary>
    void RunRowBlocks(int w)
    {
        var wk = workers[w];
        for (int block; (block = Claim()) < jobRowBlocks;)
        {
            int start = jobRowStart + block * jobRowBlock, n = Math.Min(jobRowBlock, jobRowEnd - start);
            var ctx = jobContext with { BatchStart = jobOffset + start };   // position in the large batch: dropout masks
            long t = StepProfile.Start(wk.Ticks);
            for (int i = split; i < layers.Length; i++)
            {
                layers[i].Forward(Act(wk, i, start), Act(wk, i + 1, start), n, ctx, Scratch(wk, i, start));
                StepProfile.Add(wk.Ticks, 2 * i, ref t);
            }
            float* logits = Act(wk, layers.Length, start), dz = Delta(wk, layers.Length, start);
            for (int s = 0; s < n; s++)
            {
                float* p = jobProbabilities != null ? jobProbabilities + (long)(start + s) * Classes : wk.Probabilities;
                int label = jobLabels != null ? jobLabels[start + s] : 0;
                pLosses[start + s] = FastSoftmaxCrossEntropy.LossAndProbabilities(logits + s * Classes, Classes, label, p, out correct[start + s]);
                if (ctx.Training) FastSoftmaxCrossEntropy.Gradient(p, Classes, label, jobTotal, dz + s * Classes);
            }
            StepProfile.Add(wk.Ticks, 2 * layers.Length, ref t);
            if (!ctx.Training) continue;
            for (int i = layers.Length - 1; i >= split; i--)   // deferred dense layers write only dx here
            {
                layers[i].Backward(Act(wk, i, start), Act(wk, i + 1, start), Delta(wk, i + 1, start), i == 0 ? null : Delta(wk, i, start),
                    n, pInternalGrads + layers[i].ParamOffset, ctx, Scratch(wk, i, start));
                StepProfile.Add(wk.Ticks, 2 * i + 1, ref t);
            }
        }
    }

    /// <summary>Items [0, dense blocks): whole-batch dense weight-gradient blocks; then one item per chunk: layers [0, split) backward.</summary>
    void BackwardItems(int w)
    {
        var wk = workers[w];
        for (int item; (item = Claim()) < jobDenseItems + jobChunkEnd - jobChunkStart;)
        {
            long t = StepProfile.Start(wk.Ticks);
            if (item < jobDenseItems)
            {
                var (layer, block) = denseBlocks[item];
                layer.WeightGradientBlock(block, jobTotal, pInternalGrads + layer.ParamOffset, wk.Gemm);
                StepProfile.Add(wk.Ticks, 2 * layers.Length + 1, ref t);
                continue;
            }
            int chunk = jobChunkStart + item - jobDenseItems, start = chunk * ChunkSize, n = Math.Min(ChunkSize, jobBatch - start);
            var ctx = jobContext with { BatchStart = jobOffset + start };   // position in the large batch: dropout masks
            float* grad = pChunkGrads + (long)(jobOffset / ChunkSize + chunk) * chunkParamEnd;   // the chunk's place in the large batch's tree
            for (int i = split - 1; i >= 0; i--)
            {
                layers[i].Backward(Act(wk, i, start), Act(wk, i + 1, start), Delta(wk, i + 1, start), i == 0 ? null : Delta(wk, i, start),
                    n, grad + layers[i].ParamOffset, ctx, Scratch(wk, i, start));
                StepProfile.Add(wk.Ticks, 2 * i + 1, ref t);
            }
        }
    }

    const int ReduceBlockSize = 1 << 14;

    /// <summary>Gradient of the per-chunk (convolution) parameters = the <see cref="ReductionTree"/> sum of the chunk buffers
    /// of the whole (large) batch; an accumulated batch's parts filled their chunks' buffers at the chunks' places in it, so
    /// the tree is the whole batch's. A few thousand floats per chunk: one thread, in blocks that stay in cache.</summary>
    void ReduceGradients(int chunks)
    {
        int leaves = ReductionTree.Leaves(chunks, 1);
        for (int start = 0; start < chunkParamEnd; start += ReduceBlockSize)
        {
            int len = Math.Min(ReduceBlockSize, chunkParamEnd - start);
            ReductionTree.Sum(pChunkGrads, chunkParamEnd, 0, leaves, chunks, start, len);
            new ReadOnlySpan<float>(pChunkGrads + start, len).CopyTo(new Span<float>(pInternalGrads + start, len));
        }
    }

    /// <summary>Internal-layout gradients back to the spec layout.</summary>
    void PublishGradients()
    {
        foreach (var l in layers)
        {
            if (l.WeightCount == 0) continue;
            l.ConvertWeights(internalGrads.AsSpan(l.ParamOffset, l.WeightCount), gradients.AsSpan(l.ParamOffset, l.WeightCount), toSpec: true);
            internalGrads.AsSpan(l.ParamOffset + l.WeightCount, l.BiasCount).CopyTo(gradients.AsSpan(l.ParamOffset + l.WeightCount, l.BiasCount));
        }
    }

    /// <summary>One thread's deltas for a chunk (layers below split) and layer scratch for a chunk or a row block.</summary>
    sealed class Worker
    {
        readonly List<object> keepAlive = [];
        public readonly float*[] Delta;
        public readonly LayerScratch[] Scratch;
        public readonly float* Probabilities;
        public readonly GemmWorkspace Gemm;
        public long[]? Ticks;   // per-layer timing (benchmarks), null unless profiling

        public Worker(FastLayer[] layers, TensorShape[] shapes, int split, int rowBlock, int classes)
        {
            Delta = new float*[shapes.Length];
            for (int i = 0; i < split; i++) Delta[i] = Alloc(ChunkSize * shapes[i].Length);
            int maxN = layers.Max(l => Math.Max(l.Output.Length, l.Input.Length));
            var gemm = Gemm = new GemmWorkspace(Math.Min(maxN, 4096));
            Scratch = layers.Select((l, i) =>
            {
                int rows = i < split ? ChunkSize : rowBlock;
                return new LayerScratch(l.ScratchFloats(rows), l.ScratchInts(rows), gemm);
            }).ToArray();
            Probabilities = Alloc(classes);
        }

        float* Alloc(int n)
        {
            var a = AlignedBuffer.Allocate<float>(n);
            keepAlive.Add(a.Array!);
            fixed (float* p = a.Array) return p + a.Offset;
        }
    }
}
