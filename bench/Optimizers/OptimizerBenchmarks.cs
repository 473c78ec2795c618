using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;
using NetNumerics.Reference.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One optimizer update of a float tensor, Reference (scalar specification) vs Fast (fused vector pass),
/// single thread, in cache (16,384 elements = 64 KiB per array) and in memory (10,000,000 elements).
/// Run: dotnet run -c Release --project bench -- --filter "*OptimizerBenchmarks*" --job short
/// </summary>
[MemoryDiagnoser]
public class OptimizerBenchmarks
{
    public enum Kind { Sgd, SgdMomentum, Adagrad, Adadelta, Rmsprop, Adam, AdamW, Amsgrad, Adamax, Nadam, Radam, Lion }

    [Params(16_384, 10_000_000)] public int N;
    [ParamsAllValues] public Kind Optimizer;

    IOptimizer _reference = null!, _fast = null!;
    OptimizerState<float> _refState = null!, _fastState = null!;
    ArraySegment<float> _p, _g;

    static IOptimizerOptions Options(Kind k) => k switch
    {
        Kind.Sgd => new SgdOptions(),
        Kind.SgdMomentum => new SgdOptions { Momentum = 0.9 },
        Kind.Adagrad => new AdagradOptions(),
        Kind.Adadelta => new AdadeltaOptions(),
        Kind.Rmsprop => new RmspropOptions(),
        Kind.Adam => new AdamOptions(),
        Kind.AdamW => new AdamWOptions(),
        Kind.Amsgrad => new AdamOptions { Amsgrad = true },
        Kind.Adamax => new AdamaxOptions(),
        Kind.Nadam => new NadamOptions(),
        Kind.Radam => new RadamOptions(),
        Kind.Lion => new LionOptions(),
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
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Update(_refState, _p.AsSpan(), _g.AsSpan(), 1e-3);

    [Benchmark]
    public void Fast() => _fast.Update(_fastState, _p.AsSpan(), _g.AsSpan(), 1e-3);
}

/// <summary>
/// Bandwidth yardstick: moves exactly Adam's bytes (reads p, g, m, v and writes p, m, v: 28 B/element
/// for float) with no arithmetic, Vector512 loads/stores over 64-byte-aligned arrays, single thread.
/// </summary>
public class CopyKernelBenchmarks
{
    [Params(16_384, 10_000_000)] public int N;
    ArraySegment<float> _p, _g, _m, _v;

    [GlobalSetup]
    public void Setup()
    {
        _p = AlignedBuffer.Allocate<float>(N); _g = AlignedBuffer.Allocate<float>(N);
        _m = AlignedBuffer.Allocate<float>(N); _v = AlignedBuffer.Allocate<float>(N);
        for (int i = 0; i < N; i++) _g[i] = i;
    }

    [Benchmark]
    public unsafe void Copy28BytesPerElement()
    {
        fixed (float* p = _p.AsSpan()) fixed (float* g = _g.AsSpan()) fixed (float* m = _m.AsSpan()) fixed (float* v = _v.AsSpan())
        {
            int i = 0;
            for (; i <= N - 16; i += 16)
            {
                var a = Vector512.Load(p + i); var b = Vector512.Load(g + i);
                var c = Vector512.Load(m + i); var d = Vector512.Load(v + i);
                // p <- g, m <- p, v <- m|v (a rotation: every byte read is needed, nothing computed)
                b.Store(p + i); a.Store(m + i); (c | d).Store(v + i);
            }
            for (; i < N; i++) { float a = p[i]; p[i] = g[i]; v[i] = m[i] + v[i]; m[i] = a; }
        }
    }
}
