using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Fast.Kernels;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
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
        from o in OptimizerGens.Any
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
                float[] pRef = OptimizerGens.Values<float>(c.Length, c.Seed, 1), pFast = (float[])pRef.Clone();
                var sRef = reference.Init<float>(c.Length); var sFast = fast.Init<float>(c.Length);
                for (int step = 0; step < 2; step++)
                {
                    float[] g = OptimizerGens.Values<float>(c.Length, c.Seed, 10 + (ulong)step);
                    double lr = OptimizerGens.LearningRate(c.Seed, step);
                    reference.Update(sRef, pRef, g, lr);
                    fast.Update(sFast, pFast, g, lr);
                    if (!MemoryMarshal.AsBytes(pRef.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(pFast.AsSpan())) || !sRef.BitEquals(sFast))
                    {
                        int at = Enumerable.Range(0, c.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(pRef[i]) != BitConverter.SingleToInt32Bits(pFast[i]), -1);
                        return false.Label($"{c.Options} n={c.Length} threads={c.Threads}: step {step + 1} differs, params first at {at}" +
                            (at >= 0 ? $" (ref {pRef[at]:R}, fast {pFast[at]:R})" : ", state only"));
                    }
                }
                return true.Label("ok");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(12));
        }
        finally { FastOptimizers.MaxDegreeOfParallelism = previous; }
        if (anyParallel && Environment.ProcessorCount > 1)
            Assert.True(KernelDriver.ParallelRuns > runsBefore, "no update took the parallel path, so the property proved nothing about it");
    }

    [Fact]
    public void MaxDegreeOfParallelism_rejects_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FastOptimizers.MaxDegreeOfParallelism = 0);
    }
}
