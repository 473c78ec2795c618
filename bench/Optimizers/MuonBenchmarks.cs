using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One Muon update (torch defaults, 5 Newton-Schulz iterations), Reference (naive triple-loop products) vs Fast (SGEMM), single
/// thread, on 16,384 elements as 256 x 64 and on 10,000,000 as 156,250 x 64, as `numerics bench` (the Gram matrix is 64 x 64: an iteration costs
/// about 2*64 multiply-adds per element; a square 10,000,000-element matrix would cost 3,162 per element and hours on the
/// Reference path). Run: dotnet run -c Release --project bench -- --filter "*MuonBenchmarks*" --job short
/// </summary>
[MemoryDiagnoser]
public class MuonBenchmarks
{
    [Params(16_384, 10_000_000)] public int N;

    IOptimizer _reference = null!, _fast = null!;
    OptimizerState<float> _refState = null!, _fastState = null!;
    ArraySegment<float> _p, _g;

    [GlobalSetup]
    public void Setup()
    {
        FastOptimizers.MaxDegreeOfParallelism = 1;
        _reference = ReferenceOptimizers.For(new MuonOptions());
        int[] shape = OptimizerBenchInput.Shape(_reference, N);   // N/64 x 64, as `numerics bench`
        _fast = FastOptimizers.For(new MuonOptions());
        _refState = _reference.Init<float>(shape);
        _fastState = _fast.Init<float>(shape);
        _p = AlignedBuffer.Allocate<float>(N);
        _g = AlignedBuffer.Allocate<float>(N);
        OptimizerBenchInput.Fill(_p, _g);
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);

    [Benchmark]
    public void Fast() => _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
}
