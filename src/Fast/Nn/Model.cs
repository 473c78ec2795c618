using NetNumerics.Reference.Nn;
using NetNumerics.Nn;
using NetNumerics.Fast.Nn.Layers;
using NetNumerics.Fast.Kernels;
using System.Numerics.Tensors;
using NetNumerics.Fast;

namespace NetNumerics.Fast.Nn;

/// <summary>
/// The Fast CNN: same spec, same initial weights (<see cref="GlorotUniform"/>), same parameter layout and same dropout
/// masks as <see cref="ReferenceModel"/>; NHWC activations, convolutions and dense layers as register-blocked Vector512
/// GEMMs (<see cref="Sgemm"/>). The batch is cut into fixed chunks of <see cref="ChunkSize"/> samples; each chunk runs
/// forward and backward on one thread into its own gradient buffer, and the buffers are summed in chunk order, so the
/// result does not depend on the thread count. Dense layers after the last convolution instead compute dW over the whole
/// batch once the chunks are done, in fixed column blocks shared among the threads (<see cref="FastDense.WeightGradientBlock"/>).
/// All buffers are allocated in the constructor.
/// </summary>
public sealed unsafe class FastModel : IModel
{
    /// <summary>Samples per chunk, fixed whatever the thread count: each chunk's gradient goes to its own buffer and the buffers are summed in chunk order.</summary>
    public const int ChunkSize = 8;

    readonly FastLayer[] layers;
    readonly TensorShape[] shapes;
    readonly int paramCount, maxChunks, workerCount;
    readonly ArraySegment<float> values, gradients, internalParams, internalGrads, chunkGrads, losses;
    readonly float* pInternal, pInternalGrads, pChunkGrads, pLosses;
    readonly bool[] correct;
    readonly Worker[] workers;
    readonly WorkerPool pool;
    readonly Action<int> workerBody;
    readonly (int Offset, int Length)[] paramSlots;
    readonly (FastDense Layer, int Block)[] denseBlocks;
    readonly Action<int> denseBody;
    readonly int chunkParamEnd;   // parameters [0, chunkParamEnd) get per-chunk gradients; the rest are whole-batch dense

    // The job the workers run (set before pool.Run).
    float* jobInputs; int* jobLabels; float* jobProbabilities;
    int jobBatch, jobChunks; ChunkContext jobContext;
    int nextItem;   // work items are claimed first come, first served: results do not depend on who runs which item

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
        shapes = spec.Shapes.ToArray();
        layers = spec.Layers.Select((l, i) => FastLayer.Create(l, i, shapes[i])).ToArray();

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

        int lastConv = Array.FindLastIndex(layers, l => l is FastConv2D);
        var deferred = layers.Skip(lastConv + 1).OfType<FastDense>().ToArray();
        foreach (var d in deferred) d.DeferWeightGradient(options.MaxBatch);
        denseBlocks = deferred.SelectMany(d => Enumerable.Range(0, d.WeightGradientBlocks).Select(b => (d, b))).ToArray();
        chunkParamEnd = deferred.Length > 0 ? deferred.Min(d => d.ParamOffset) : paramCount;
        chunkGrads = AlignedBuffer.Allocate<float>(checked(maxChunks * Math.Max(chunkParamEnd, 1)));   // chunk c at c * chunkParamEnd
        pChunkGrads = Pin(chunkGrads);
        denseBody = RunDenseWorker;

        workerCount = Math.Min(options.MaxDegreeOfParallelism, maxChunks);
        workers = Enumerable.Range(0, workerCount).Select(_ => new Worker(layers, shapes, spec.Classes)).ToArray();
        pool = new WorkerPool(workerCount);
        workerBody = RunWorker;
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

    /// <inheritdoc />
    public BatchResult TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ulong seed, long step)
    {
        int batch = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        if (batch > Options.MaxBatch)
            throw new ArgumentException($"labels has {batch} samples, more than MaxBatch = {Options.MaxBatch}; raise FastModelOptions.MaxBatch.", nameof(labels));
        LoadParameters();
        fixed (float* x = inputs) fixed (int* y = labels)
            Run(x, y, null, batch, new ChunkContext(0, true, seed, step));
        ReduceGradients(jobChunks);
        if (denseBlocks.Length > 0)
        {
            nextItem = 0;
            pool.Run(denseBody, Math.Min(workerCount, denseBlocks.Length));
        }
        PublishGradients();
        return Sum(batch);
    }

    /// <inheritdoc />
    public BatchResult Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int total = ModelGuard.Batch(inputs.Length, labels, InputLength, Classes);
        LoadParameters();
        double lossSum = 0; int right = 0;
        fixed (float* x = inputs) fixed (int* y = labels)
            for (int start = 0; start < total; start += Options.MaxBatch)
            {
                int batch = Math.Min(Options.MaxBatch, total - start);
                Run(x + (long)start * InputLength, y + start, null, batch, new ChunkContext(0, false, 0, 0));
                for (int s = 0; s < batch; s++) { lossSum += pLosses[s]; if (correct[s]) right++; }
            }
        return new BatchResult(lossSum, right, total);
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> inputs, Span<float> probabilities)
    {
        int total = ModelGuard.Predict(inputs.Length, probabilities.Length, InputLength, Classes);
        LoadParameters();
        fixed (float* x = inputs) fixed (float* p = probabilities)
            for (int start = 0; start < total; start += Options.MaxBatch)
            {
                int batch = Math.Min(Options.MaxBatch, total - start);
                Run(x + (long)start * InputLength, null, p + (long)start * Classes, batch, new ChunkContext(0, false, 0, 0));
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

    void Run(float* inputs, int* labels, float* probabilities, int batch, ChunkContext context)
    {
        jobInputs = inputs; jobLabels = labels; jobProbabilities = probabilities;
        jobBatch = batch; jobContext = context;
        jobChunks = (batch + ChunkSize - 1) / ChunkSize;
        nextItem = 0;
        pool.Run(workerBody, Math.Min(workerCount, jobChunks));
    }

    void RunWorker(int w)
    {
        // Dynamic claiming balances a shared, noisy machine; a chunk's result depends only on its index (every worker
        // buffer is written before it is read within the chunk), so the bits are the same whoever runs it.
        for (int c; (c = Interlocked.Increment(ref nextItem) - 1) < jobChunks;) RunChunk(c, workers[w]);
    }

    void RunChunk(int chunk, Worker wk)
    {
        int start = chunk * ChunkSize, n = Math.Min(ChunkSize, jobBatch - start);
        var ctx = jobContext with { BatchStart = start };
        Layout.NchwToNhwc(jobInputs + (long)start * InputLength, wk.Act[0], n, shapes[0]);
        for (int i = 0; i < layers.Length; i++) layers[i].Forward(wk.Act[i], wk.Act[i + 1], n, ctx, wk.Scratch[i]);

        float* logits = wk.Act[layers.Length], dz = wk.Delta[layers.Length];
        for (int s = 0; s < n; s++)
        {
            float* p = jobProbabilities != null ? jobProbabilities + (long)(start + s) * Classes : wk.Probabilities;
            int label = jobLabels != null ? jobLabels[start + s] : 0;
            pLosses[start + s] = FastSoftmaxCrossEntropy.LossAndProbabilities(logits + s * Classes, Classes, label, p, out correct[start + s]);
            if (ctx.Training) FastSoftmaxCrossEntropy.Gradient(p, Classes, label, jobBatch, dz + s * Classes);
        }
        if (!ctx.Training) return;
        float* grad = pChunkGrads + (long)chunk * chunkParamEnd;   // deferred dense layers do not write theirs
        for (int i = layers.Length - 1; i >= 0; i--)
            layers[i].Backward(wk.Act[i], wk.Act[i + 1], wk.Delta[i + 1], i == 0 ? null : wk.Delta[i], n, grad + layers[i].ParamOffset, ctx, wk.Scratch[i]);
    }

    void RunDenseWorker(int w)
    {
        for (int i; (i = Interlocked.Increment(ref nextItem) - 1) < denseBlocks.Length;)
        {
            var (layer, block) = denseBlocks[i];
            layer.WeightGradientBlock(block, jobBatch, pInternalGrads + layer.ParamOffset, workers[w].Gemm);
        }
    }

    const int ReduceBlockSize = 1 << 14;

    /// <summary>Gradient of the per-chunk (convolution) parameters = sum of the chunk buffers in chunk order; a few
    /// thousand floats per chunk, so one thread.</summary>
    void ReduceGradients(int chunks)
    {
        jobChunks = chunks;
        int blocks = (chunkParamEnd + ReduceBlockSize - 1) / ReduceBlockSize;
        for (int b = 0; b < blocks; b++) ReduceBlock(b);
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

    void ReduceBlock(int block)
    {
        int start = block * ReduceBlockSize, len = Math.Min(ReduceBlockSize, chunkParamEnd - start);
        var total = new Span<float>(pInternalGrads + start, len);
        new ReadOnlySpan<float>(pChunkGrads + start, len).CopyTo(total);
        for (int c = 1; c < jobChunks; c++)
            TensorPrimitives.Add(total, new ReadOnlySpan<float>(pChunkGrads + (long)c * chunkParamEnd + start, len), total);
    }

    /// <summary>One thread's activations, deltas and layer scratch for a chunk.</summary>
    sealed class Worker
    {
        readonly List<object> keepAlive = [];
        public readonly float*[] Act, Delta;
        public readonly LayerScratch[] Scratch;
        public readonly float* Probabilities;
        public readonly GemmWorkspace Gemm;

        public Worker(FastLayer[] layers, TensorShape[] shapes, int classes)
        {
            Act = new float*[shapes.Length]; Delta = new float*[shapes.Length];
            for (int i = 0; i < shapes.Length; i++) { Act[i] = Alloc(ChunkSize * shapes[i].Length); Delta[i] = Alloc(ChunkSize * shapes[i].Length); }
            int maxN = layers.Max(l => Math.Max(l.Output.Length, l.Input.Length));
            var gemm = Gemm = new GemmWorkspace(Math.Min(maxN, 4096));
            Scratch = layers.Select(l => new LayerScratch(l.ScratchFloats(ChunkSize), l.ScratchInts(ChunkSize), gemm)).ToArray();
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
