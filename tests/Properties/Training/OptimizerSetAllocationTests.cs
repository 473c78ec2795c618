using NetNumerics.Fast.Optimizers;
using NetNumerics.Nn;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;
using NetNumerics.Training;
using Xunit;

namespace NetNumerics.Properties.Training;

/// <summary>OptimizerSet.Step in steady state allocates nothing, whatever the number of tensors and the clipping.</summary>
public class OptimizerSetAllocationTests
{
    static Parameter[] Tensors(int count)
    {
        var rng = new Random(7);
        return Enumerable.Range(0, count).Select(i =>
        {
            int n = 1 + i % 37;
            var g = new float[n];
            for (int k = 0; k < n; k++) g[k] = (float)(rng.NextDouble() - 0.5);
            return new Parameter($"t{i}", [n], new float[n], g);
        }).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_over_2000_tensors_allocates_nothing_after_warm_up(bool fastPath)
    {
        var ps = Tensors(2000);
        var options = new AdamOptions();
        var set = fastPath
            ? new OptimizerSet(FastOptimizers.For(options), FastClipping.Instance, ps, new ClippingOptions { ClipValue = 0.4, GlobalClipNorm = 1.0 })
            : new OptimizerSet(ReferenceOptimizers.For(options), ReferenceClipping.Instance, ps, new ClippingOptions { ClipValue = 0.4, GlobalClipNorm = 1.0 });
        for (int i = 0; i < 3; i++) set.Step(ps, 1e-3);   // JIT and tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) set.Step(ps, 1e-3);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"10 steps over 2000 tensors allocated {allocated} bytes; expected 0.");
    }
}
