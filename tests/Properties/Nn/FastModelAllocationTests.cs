using NetNumerics.Fast.Nn;
using Xunit;

namespace NetNumerics.Properties.Nn;

[CollectionDefinition(nameof(FastModelAllocationTests), DisableParallelization = true)]
public sealed class FastModelAllocationCollection;

[Collection(nameof(FastModelAllocationTests))]
public class FastModelAllocationTests
{
    /// <summary>Steady state: after warm-up steps, a training step allocates nothing on any thread (persistent workers, no Parallel.For).
    /// The counter is process-wide, so this class runs alone (its collection disables parallelization); the runtime itself
    /// (tiering, finalizers of earlier tests' models) may still allocate a few bytes now and then, so the claim checked is
    /// that some 3 consecutive steps allocate nothing: an allocation in every step fails it.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fast_train_step_allocates_nothing_after_warm_up(int threads)
    {
        var spec = FastModelProperties.Small(2, 8, true, 1);
        var (x, y) = FastModelProperties.Batch(spec, 40, 3);
        var f = new FastModel(spec, 5, new FastModelOptions { MaxDegreeOfParallelism = threads, MaxBatch = 64 });
        for (long step = 0; step < 4; step++) f.TrainStep(x, y, 1, step);
        var windows = new List<long>();
        for (long step = 4; step < 40; step += 3)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (long s = step; s < step + 3; s++) f.TrainStep(x, y, 1, s);
            windows.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
            if (windows[^1] == 0) return;
        }
        Assert.Fail($"every 3-step window allocated: {string.Join(" ", windows)} bytes");
    }
}
