using NetNumerics.Distributed;
using NetNumerics.Fast.Nn.Layers;

namespace NetNumerics.Fast.Nn;

/// <summary>
/// The data-parallel part of <see cref="FastModel"/>: rank r of R computes the chunks of its subtree of the batch's
/// <see cref="ReductionTree"/> (forward, the dense rows of those samples, backward of the convolutional part), sums them to
/// the subtree's root, and one gather per step sends every rank each rank's root and, for each of its rows, what the
/// whole-batch dense weight gradients read (the deferred dense layers' input and output-gradient rows) with its loss and
/// correct flag. Every rank then sums the roots in the top of the tree, computes the dense dW over all rows exactly as one
/// process does, and holds the one-process gradient bit for bit. Per rank and step that is (its rows x
/// <see cref="RowFloats"/> + the convolutional parameter count) floats: for the seed MNIST CNN at batch 250 over 2 ranks
/// (chunks 0-15 and 16-31: 128 and 122 rows), rank 0 sends 128 x 2,124 + 18,816 floats = 1.16 MB and every rank receives
/// 250 x 2,124 + 2 x 18,816 floats = 2.27 MB. Evaluation gathers only the losses and flags (8 bytes per row).
/// </summary>
public sealed unsafe partial class FastModel
{
    ICommunicator? ranks;   // set once, by the constructor (InitRanks)
    (nint X, int In, nint Dy, int Out)[] deferredRows = [];
    float[] send = [], receive = [];
    int[] counts = [];
    int rowFloats;

    bool Distributed => ranks is { Size: > 1 };

    /// <summary>Floats per row in the step's gather: each deferred dense layer's input and output gradient, the loss and the flag.</summary>
    internal int RowFloats => rowFloats;

    void InitRanks(ICommunicator r, FastDense[] deferred)
    {
        int chunks = maxChunks;
        if (!System.Numerics.BitOperations.IsPow2(r.Size) || r.Size > chunks)
            throw new ArgumentException(
                $"FastModelOptions.Ranks has {r.Size} ranks, but the chunk tree splits a batch of MaxBatch = {Options.MaxBatch} ({chunks} chunks of {ChunkSize}) only over a power of two of ranks " +
                $"up to {1 << System.Numerics.BitOperations.Log2((uint)chunks)}: use {string.Join(", ", Enumerable.Range(0, 31).Select(k => 1 << k).TakeWhile(n => n <= chunks))} ranks (or a larger batch).", "options");
        for (int i = split; i < layers.Length; i++)
            if (layers[i].WeightCount > 0 && layers[i] is not FastDense)
                throw new ArgumentException($"layer {i} ({layers[i].GetType().Name}) has weights after the last convolution and is not a dense layer: this model does not run over ranks.", "options");
        deferredRows = deferred.Select(d =>
        {
            int i = Array.IndexOf(layers, d);
            return ((nint)batchAct[i], shapes[i].Length, (nint)batchDelta[i + 1], shapes[i + 1].Length);
        }).ToArray();
        rowFloats = deferredRows.Sum(d => d.In + d.Out) + 2;
        int perRank = ReductionTree.Leaves(chunks, r.Size) / r.Size * ChunkSize;
        send = new float[checked(chunkParamEnd + Math.Min(perRank, Options.MaxBatch) * rowFloats)];
        receive = new float[checked(r.Size * chunkParamEnd + Options.MaxBatch * rowFloats)];
        counts = new int[r.Size];
        ranks = r;
    }

    /// <summary>
    /// After this rank's forward and backward of a whole batch: its subtree sum, the gather, the other ranks' rows filed at
    /// their places, the top of the tree into the gradient, then the dense weight gradients over all rows.
    /// </summary>
    void ExchangeStep(int batch)
    {
        int chunks = (batch + ChunkSize - 1) / ChunkSize, size = ranks!.Size;
        int per = ReductionTree.Leaves(chunks, size) / size;
        var (first, end) = ReductionTree.ChunksOf(ranks.Rank, size, chunks);
        for (int start = 0; start < chunkParamEnd && first < end; start += ReduceBlockSize)
            ReductionTree.Sum(pChunkGrads, chunkParamEnd, first, per, chunks, start, Math.Min(ReduceBlockSize, chunkParamEnd - start));
        Gather(batch, gradients: true);

        // The roots, in rank order, into the first buffers; then the top of the tree over the ranks that had chunks.
        int present = 0;
        fixed (float* all = receive)
        {
            float* at = all;
            for (int q = 0; q < size; q++)
            {
                var (qFirst, qEnd) = ReductionTree.ChunksOf(q, size, chunks);
                if (qFirst == qEnd) break;   // later ranks hold no chunk either
                new ReadOnlySpan<float>(at, chunkParamEnd).CopyTo(new Span<float>(pChunkGrads + (long)q * chunkParamEnd, chunkParamEnd));
                at += counts[q];   // this rank's root, then its rows
                present++;
            }
        }
        for (int start = 0; start < chunkParamEnd; start += ReduceBlockSize)
        {
            int len = Math.Min(ReduceBlockSize, chunkParamEnd - start);
            ReductionTree.Sum(pChunkGrads, chunkParamEnd, 0, size, present, start, len);
            new ReadOnlySpan<float>(pChunkGrads + start, len).CopyTo(new Span<float>(pInternalGrads + start, len));
        }

        // The dense weight gradients over every row of the batch, as one process computes them.
        jobDenseItems = denseBlocks.Length; jobChunkStart = jobChunkEnd = 0; nextItem = 0;
        pool.Run(backwardBody, Math.Min(workerCount, jobDenseItems));
    }

    /// <summary>After an evaluation batch: every rank's losses and flags, so every rank sums all rows in order.</summary>
    void ExchangeLosses(int batch) => Gather(batch, gradients: false);

    static int Rows(int rank, int size, int chunks, int batch)
    {
        var (first, end) = ReductionTree.ChunksOf(rank, size, chunks);
        return Math.Min(end * ChunkSize, batch) - Math.Min(first * ChunkSize, batch);
    }

    /// <summary>One gather of (subtree root, then per row: dense rows, loss, flag) or (per row: loss, flag); the other ranks' rows
    /// are filed into the whole-batch buffers (this rank's are there already).</summary>
    void Gather(int batch, bool gradients)
    {
        int chunks = (batch + ChunkSize - 1) / ChunkSize, size = ranks!.Size, rank = ranks.Rank;
        int perRow = gradients ? rowFloats : 2;
        for (int q = 0; q < size; q++)
        {
            var (qFirst, qEnd) = ReductionTree.ChunksOf(q, size, chunks);
            counts[q] = (gradients && qFirst < qEnd ? chunkParamEnd : 0) + Rows(q, size, chunks, batch) * perRow;
        }
        fixed (float* mine = send) fixed (float* all = receive)
        {
            var (first, end) = ReductionTree.ChunksOf(rank, size, chunks);
            float* at = mine;
            if (gradients && first < end) { Copy(pChunkGrads + (long)first * chunkParamEnd, at, chunkParamEnd); at += chunkParamEnd; }
            PackRows(ref at, first * ChunkSize, Rows(rank, size, chunks, batch), gradients);
            ranks.AllGather<float>(new ReadOnlySpan<float>(mine, counts[rank]), new Span<float>(all, receive.Length), counts);

            float* from = all;
            for (int q = 0; q < size; q++)
            {
                var (qFirst, qEnd) = ReductionTree.ChunksOf(q, size, chunks);
                float* next = from + counts[q];
                if (gradients && qFirst < qEnd) from += chunkParamEnd;
                if (q != rank) UnpackRows(from, qFirst * ChunkSize, Rows(q, size, chunks, batch), gradients);
                from = next;
            }
        }
    }

    void PackRows(ref float* at, int row, int n, bool gradients)
    {
        if (gradients)
            foreach (var (x, nIn, dy, nOut) in deferredRows)
            {
                Copy((float*)x + (long)row * nIn, at, n * nIn); at += n * nIn;
                Copy((float*)dy + (long)row * nOut, at, n * nOut); at += n * nOut;
            }
        Copy(pLosses + row, at, n); at += n;
        for (int s = 0; s < n; s++) *at++ = correct[row + s] ? 1f : 0f;
    }

    void UnpackRows(float* from, int row, int n, bool gradients)
    {
        if (gradients)
            foreach (var (x, nIn, dy, nOut) in deferredRows)
            {
                Copy(from, (float*)x + (long)row * nIn, n * nIn); from += n * nIn;
                Copy(from, (float*)dy + (long)row * nOut, n * nOut); from += n * nOut;
            }
        Copy(from, pLosses + row, n); from += n;
        for (int s = 0; s < n; s++) correct[row + s] = from[s] != 0;
    }

    static void Copy(float* from, float* to, int n) => new ReadOnlySpan<float>(from, n).CopyTo(new Span<float>(to, n));
}
