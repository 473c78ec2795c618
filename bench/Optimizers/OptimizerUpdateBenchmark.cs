using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One optimizer update of a float tensor, Reference (the baseline) vs Fast, on the weights, gradient and tensor shape
/// `numerics bench` uses (<see cref="OptimizerBenchInput"/>), at 16,384 elements (in cache) and 10,000,000 (in memory). A
/// suite names the options; it may let a large Fast update use more threads, or take steps before measuring.
/// </summary>
public abstract class OptimizerUpdateBenchmark
{
    [Params(16_384, 10_000_000)] public int N;

    IOptimizer _reference = null!, _fast = null!;
    OptimizerState<float> _refState = null!, _fastState = null!;
    ArraySegment<float> _p, _g;

    /// <summary>The optimizer both paths run.</summary>
    protected abstract IOptimizerOptions Options();

    /// <summary>Threads a large Fast update may use (<see cref="FastOptimizers.MaxDegreeOfParallelism"/>); 1 by default.</summary>
    protected virtual int Threads => 1;

    /// <summary>Updates made before the measured ones (a wrapper's first step is not a steady one); none by default.</summary>
    protected virtual int StepsBefore => 0;

    [GlobalSetup]
    public void Setup()
    {
        FastOptimizers.MaxDegreeOfParallelism = Threads;
        _reference = ReferenceOptimizers.For(Options());
        _fast = FastOptimizers.For(Options());
        int[] shape = OptimizerBenchInput.Shape(_reference, N);   // as `numerics bench`: 1-D, Adafactor's squarest matrix, Muon's n/64 x 64
        _refState = _reference.Init<float>(shape);
        _fastState = _fast.Init<float>(shape);
        _p = AlignedBuffer.Allocate<float>(N);
        _g = AlignedBuffer.Allocate<float>(N);
        OptimizerBenchInput.Fill(_p, _g);
        for (int i = 0; i < StepsBefore; i++) { Reference(); Fast(); }
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);

    [Benchmark]
    public void Fast() => _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
}
