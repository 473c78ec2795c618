using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Fast.Kernels;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Testing;
using Xunit;

namespace NetNumerics.Properties.Optimizers;

[CollectionDefinition(nameof(ParallelUpdateProperties), DisableParallelization = true)]
public sealed class ParallelUpdateCollection;

/// <summary>
/// A large tensor's update is cut into fixed blocks that several threads claim (FastOptimizers.MaxDegreeOfParallelism):
/// every element still gets the Reference's operations, so 1, 2 and 3 threads all give the Reference's bits (0 ULP),
/// parameters and every state slot, after every step. Lengths just above the parallel threshold with ragged last blocks
/// and tails. Runs alone (its collection) so the shared pool is free and the parallel path is taken, which is checked.
/// </summary>
[Collection(nameof(ParallelUpdateProperties))]
public class ParallelUpdateProperties
{
    static Gen<(IOptimizerOptions Options, int Length, ulong Seed, int Threads)> Cases() =>
        from o in FloatSafeOptions.Any
        from extra in Gen.Choose(0, 3 * KernelDriver.ParallelBlock + 37)
        from seed in ArbMap.Default.GeneratorFor<ulong>()
        from threads in Gen.Choose(1, 3)
        select (o, KernelDriver.ParallelMin + extra, seed, threads);

    [Fact]
    public void Large_tensor_updates_on_any_thread_count_equal_the_Reference_bitwise()
    {
        int previous = FastOptimizers.MaxDegreeOfParallelism;
        long runsBefore = KernelDriver.ParallelRuns;
        bool anyParallel = false;
        try
        {
            Prop.ForAll(Cases().ToArbitrary(), c =>
            {
                FastOptimizers.MaxDegreeOfParallelism = c.Threads;
                anyParallel |= c.Threads > 1;
                var reference = ReferenceOptimizers.For(c.Options);
                var fast = FastOptimizers.For(c.Options);
                float[] pRef = SeededInputs.Values<float>(c.Length, c.Seed, 1), pFast = (float[])pRef.Clone();
                var sRef = reference.Init<float>(c.Length); var sFast = fast.Init<float>(c.Length);
                for (int step = 0; step < 2; step++)
                {
                    float[] g = SeededInputs.Values<float>(c.Length, c.Seed, 10 + (ulong)step);
                    double lr = SeededInputs.LearningRate(c.Seed, step);
                    reference.Update(sRef, pRef, g, lr);
                    fast.Update(sFast, pFast, g, lr);
                    string what = $"{c.Options} n={c.Length} threads={c.Threads} step {step + 1}";
                    NumericAssert.BitExact<float>(pRef, pFast, label: "parameters, " + what);
                    NumericAssert.BitExact(sRef, sFast, label: what);
                }
                return true.Label("ok");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(12));
        }
        finally { FastOptimizers.MaxDegreeOfParallelism = previous; }
        if (anyParallel && Environment.ProcessorCount > 1)
            Assert.True(KernelDriver.ParallelRuns > runsBefore, "no update took the parallel path, so the property proved nothing about it");
    }

    /// <summary>Writes, at every element, how many lanes the vector that covered it had (1 for the scalar tail).</summary>
    unsafe struct LaneCounter : IKernel<float>
    {
        public float* Out;

        public readonly void Apply<TV>(nint i) where TV : struct, IVec<TV, float>
        {
            for (int j = 0; j < TV.Count; j++) Out[i + j] = TV.Count;
        }
    }

    /// <summary>
    /// The SimdWidth cap reaches the pool's workers: they do not see the caller's scope (an AsyncLocal), so the driver reads
    /// the width once on the calling thread and hands it to them. A run of 2^20 + 37 elements on 2 threads under each cap
    /// covers every element with vectors of that width (float lanes: 16, 8, 4) but the scalar tail of the last, 37-element block.
    /// </summary>
    [Fact]
    public unsafe void A_width_cap_applies_to_the_blocks_the_pool_runs()
    {
        if (Environment.ProcessorCount < 2) return;   // no pool on one core: nothing to check
        int previous = FastOptimizers.MaxDegreeOfParallelism;
        try
        {
            FastOptimizers.MaxDegreeOfParallelism = 2;
            int n = KernelDriver.ParallelMin + 37;
            var lanes = new float[n];
            foreach (var width in SimdWidth.Available)
            {
                long runsBefore = KernelDriver.ParallelRuns;
                fixed (float* p = lanes)
                {
                    var k = new LaneCounter { Out = p };
                    using (SimdWidth.Limit(width)) KernelDriver.Run<float, LaneCounter>(ref k, n);
                }
                Assert.True(KernelDriver.ParallelRuns > runsBefore, $"width {width}: the run did not go to the pool");
                int expected = width == VectorWidth.Scalar ? 1 : (int)width / 32;
                int wrong = Array.FindIndex(lanes, 0, n - 37, v => v != expected);
                Assert.True(wrong < 0, $"width {width}: element {wrong} was covered by a {lanes[Math.Max(wrong, 0)]}-lane vector, expected {expected}");
                Assert.All(lanes[^37..], v => Assert.True(v == expected || v == 1, $"tail lane count {v}"));
            }
        }
        finally { FastOptimizers.MaxDegreeOfParallelism = previous; }
    }

    [Fact]
    public void MaxDegreeOfParallelism_rejects_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FastOptimizers.MaxDegreeOfParallelism = 0);
    }
}
