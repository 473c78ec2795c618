using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One Schedule-Free update of a float tensor (Reference vs Fast), beside its base optimizer alone in the same run, so the
/// wrapper's cost (the base step on z plus one pass over y, z, x) is a ratio: sf-sgd vs SGD, sf-adamw vs Adam(b1 = 0).
/// Single thread, 16,384 elements (in cache) and 10,000,000 (in memory).
/// </summary>
[MemoryDiagnoser]
public class ScheduleFreeBenchmarks
{
    public enum Kind { SgdBase, ScheduleFreeSgd, AdamWBase, ScheduleFreeAdamW }

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
        for (int i = 0; i < N; i++)
        {
            _p[i] = CounterRng.UniformSingle(1, 0, (ulong)i) - 0.5f;
            _g[i] = (CounterRng.UniformSingle(1, 1, (ulong)i) - 0.5f) * 1e-2f;
        }
        // One step first, so the measured steps are the steady ones (the first Schedule-Free step also copies y into z and x).
        _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);
        _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);

    [Benchmark]
    public void Fast() => _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
}
