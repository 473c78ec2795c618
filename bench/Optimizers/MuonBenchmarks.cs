using BenchmarkDotNet.Attributes;
using NetNumerics.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One Muon update (torch defaults, 5 Newton-Schulz iterations), Reference (naive triple-loop products) vs Fast (SGEMM), single
/// thread, on 16,384 elements as 256 x 64 and on 10,000,000 as 156,250 x 64, as `numerics bench` (the Gram matrix is 64 x 64: an iteration costs
/// about 2*64 multiply-adds per element; a square 10,000,000-element matrix would cost 3,162 per element and hours on the
/// Reference path). Run: dotnet run -c Release --project bench -- --filter "*MuonBenchmarks*" --job short
/// </summary>
[MemoryDiagnoser]
public class MuonBenchmarks : OptimizerUpdateBenchmark
{
    protected override IOptimizerOptions Options() => new MuonOptions();
}
