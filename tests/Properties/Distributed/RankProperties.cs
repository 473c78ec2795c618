using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetNumerics.Fast.Nn;
using NetNumerics.Nn;
using NetNumerics.Properties.Nn;
using Xunit;

namespace NetNumerics.Properties.Distributed;

/// <summary>
/// The fixed reduction tree of the Fast CNN and its split over ranks: R ranks (R = 2 or 4, as threads of this process that
/// gather like MPI ranks) with 1 or 2 threads each give every gradient bit, the loss sum and the correct count of one
/// process, for any batch (partial last chunks, batches with fewer chunks than ranks, so some ranks sit idle), and
/// evaluation gives the same loss and count.
/// </summary>
public class RankProperties
{
    static Gen<(NetworkSpec Spec, int Batch, int Seed, int Ranks, int Threads)> Cases() =>
        from c in Gen.Choose(1, 3) from f in Gen.Choose(2, 12) from same in Gen.Elements(false, true) from st in Gen.Choose(1, 2)
        from b in Gen.Choose(1, 64) from seed in Gen.Choose(0, int.MaxValue) from r in Gen.Elements(2, 4) from t in Gen.Elements(1, 2)
        select (FastModelProperties.Small(c, f, same, st), b, seed, r, t);

    static int[] Bits(ReadOnlySpan<float> v) => v.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Property(MaxTest = 12)]
    public Property Ranks_and_threads_give_the_gradients_loss_and_evaluation_of_one_process() =>
        Prop.ForAll(Cases().ToArbitrary(), m =>
        {
            var (x, y) = FastModelProperties.Batch(m.Spec, m.Batch, m.Seed);
            var one = new FastModel(m.Spec, 7, new FastModelOptions { MaxDegreeOfParallelism = 1, MaxBatch = 64 });
            var r1 = one.TrainStep(x, y, (ulong)m.Seed, 3);
            var e1 = one.Evaluate(x, y);
            var expected = one.Parameters.Select(p => Bits(p.Gradients.Span)).ToArray();

            var ranks = InProcessRanks.Run(m.Ranks, c =>
            {
                var model = new FastModel(m.Spec, 7, new FastModelOptions { MaxDegreeOfParallelism = m.Threads, MaxBatch = 64, Ranks = c });
                var r = model.TrainStep(x, y, (ulong)m.Seed, 3);
                return (Step: r, Eval: model.Evaluate(x, y), Grads: model.Parameters.Select(p => Bits(p.Gradients.Span)).ToArray());
            });
            bool same = ranks.All(r => r.Step == r1 && r.Eval == e1 && r.Grads.Zip(expected).All(g => g.First.SequenceEqual(g.Second)));
            return same.Label($"{m.Batch} samples, {m.Ranks} ranks x {m.Threads} threads: {r1} vs {string.Join(", ", ranks.Select(r => r.Step))}");
        });

    /// <summary>The tree is the pairwise one (node = left + right, left alone when the right subtree is empty), written
    /// here recursively; summing each rank's subtree and then the roots gives the same bits for every rank count.</summary>
    [Fact]
    public unsafe void The_tree_is_the_recursive_pairwise_sum_and_splits_into_rank_subtrees_exactly()
    {
        var rng = new Random(5);
        const int Len = 37;
        for (int chunks = 1; chunks <= 40; chunks++)
        {
            var leaves = Enumerable.Range(0, chunks).Select(_ => Enumerable.Range(0, Len).Select(_ => (float)(rng.NextDouble() * 2 - 1) * (float)Math.Pow(10, rng.Next(-3, 4))).ToArray()).ToArray();
            int size = ReductionTree.Leaves(chunks, 1);
            float[] Node(int lo, int n)
            {
                if (n == 1) return leaves[lo];
                var l = Node(lo, n / 2);
                if (lo + n / 2 >= chunks) return l;
                var r = Node(lo + n / 2, n / 2);
                return l.Zip(r, (a, b) => a + b).ToArray();
            }
            var expected = Bits(Node(0, size));
            foreach (int ranks in new[] { 1, 2, 4, 8 })
            {
                var buffers = leaves.SelectMany(l => l).ToArray();
                int per = ReductionTree.Leaves(chunks, ranks) / ranks;
                var roots = new List<float[]>();
                fixed (float* b = buffers)
                {
                    for (int r = 0; r < ranks; r++)
                    {
                        var (first, end) = ReductionTree.ChunksOf(r, ranks, chunks);
                        if (first == end) continue;
                        Assert.Equal(r * per, first);
                        ReductionTree.Sum(b, Len, first, per, chunks, 0, Len);
                        roots.Add(buffers.AsSpan(first * Len, Len).ToArray());
                    }
                }
                var top = roots.SelectMany(v => v).ToArray();
                fixed (float* t = top) ReductionTree.Sum(t, Len, 0, ranks, roots.Count, 0, Len);
                Assert.True(expected.SequenceEqual(Bits(top.AsSpan(0, Len))), $"{chunks} chunks over {ranks} ranks");
            }
        }
    }

    [Fact]
    public void Rank_counts_that_are_not_powers_of_two_or_exceed_the_chunks_are_refused_naming_the_ones_that_work()
    {
        var spec = FastModelProperties.Small(1, 4, false, 1);
        foreach (var (size, message) in new[] { (3, "3 ranks"), (8, "8 ranks") })
            InProcessRanks.Run(size, c =>
            {
                var e = Assert.Throws<ArgumentException>(() => new FastModel(spec, 1, new FastModelOptions { MaxBatch = 40, Ranks = c }));
                Assert.Contains(message, e.Message);
                Assert.Contains("use 1, 2, 4 ranks", e.Message);   // 40 samples = 5 chunks of 8: subtrees of 1, 2 or 4 ranks
                return 0;
            });
    }

    [Fact]
    public void Gradient_accumulation_over_ranks_is_refused()
    {
        var spec = FastModelProperties.Small(1, 4, false, 1);
        var (x, y) = FastModelProperties.Batch(spec, 16, 3);
        InProcessRanks.Run(2, c =>
        {
            var model = new FastModel(spec, 1, new FastModelOptions { MaxBatch = 32, Ranks = c });
            var e = Assert.Throws<ArgumentException>(() => model.TrainStep(x, y, 1, 0, new MicroBatch(0, 32)));
            Assert.Contains("does not run over ranks", e.Message);
            return 0;
        });
    }
}
