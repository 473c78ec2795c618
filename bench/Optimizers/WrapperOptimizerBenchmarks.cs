using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One update of a float tensor by a wrapper optimizer (Reference vs Fast), beside its base optimizer alone in the same
/// run, so the wrapper's cost is a ratio: sf-sgd vs SGD, sf-adamw vs Adam(b1 = 0) (the base step on z plus one pass over
/// y, z, x), EMA and SWA of Adam vs Adam (the base step plus one pass over the average; SWA averages every update here).
/// Single thread, 16,384 elements (in cache) and 10,000,000 (in memory).
/// Run: dotnet run -c Release --project bench -- --filter "*WrapperOptimizerBenchmarks*" --job short --inProcess --join
/// </summary>
[MemoryDiagnoser]
public class WrapperOptimizerBenchmarks
{
    public enum Kind { SgdBase, ScheduleFreeSgd, AdamWBase, ScheduleFreeAdamW, Adam, EmaAdam, SwaAdam, LookaheadAdam }

    [Params(16_384, 10_000_000)] public int N;
    [ParamsAllValues] public Kind Optimizer;

    IOptimizer _reference = null!, _fast = null!;
    OptimizerState<float> _refState = null!, _fastState = null!;
    ArraySegment<float> _p, _g;

    static IOptimizerOptions Options(Kind k) => k switch
    {
        Kind.SgdBase => ScheduleFreeOptions.SgdBase,
        Kind.ScheduleFreeSgd => ScheduleFreeOptions.Sgd,
        Kind.AdamWBase => ScheduleFreeOptions.AdamWBase,
        Kind.ScheduleFreeAdamW => ScheduleFreeOptions.AdamW,
        Kind.Adam => new AdamOptions(),
        Kind.EmaAdam => new AveragingOptions { Base = new AdamOptions() },
        Kind.SwaAdam => new AveragingOptions { Base = new AdamOptions(), Mode = WeightAveraging.Swa },
        Kind.LookaheadAdam => new LookaheadOptions { Base = new AdamOptions() },   // k 5: one update in five synchronises
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    [GlobalSetup]
    public void Setup()
    {
        _reference = ReferenceOptimizers.For(Options(Optimizer));
        _fast = FastOptimizers.For(Options(Optimizer));
        _refState = _reference.Init<float>(N);
        _fastState = _fast.Init<float>(N);
        _p = AlignedBuffer.Allocate<float>(N);
        _g = AlignedBuffer.Allocate<float>(N);
        OptimizerBenchInput.Fill(_p, _g);
        // One step first, so the measured steps are the steady ones (Schedule-Free's first step copies y into z and x, EMA's and SWA's the weights into the average).
        _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);
        _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);

    [Benchmark]
    public void Fast() => _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
}
