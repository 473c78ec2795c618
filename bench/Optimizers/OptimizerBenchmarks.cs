using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Optimizers;
using NetNumerics.Fast.Kernels;
using NetNumerics.Fast.Kernels.Probes;
using NetNumerics.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One optimizer update of a float tensor, Reference (scalar specification) vs Fast (fused vector pass),
/// single thread, in cache (16,384 elements = 64 KiB per array) and in memory (10,000,000 elements). Every state is made
/// with the shape `numerics bench` uses (OptimizerBenchInput.Shape): element-wise optimizers ignore it, Adafactor factors
/// the most nearly square matrix (128 x 128, 3,125 x 3,200).
/// Run: dotnet run -c Release --project bench -- --filter "*OptimizerBenchmarks*" --job short
/// </summary>
[MemoryDiagnoser]
public class OptimizerBenchmarks : OptimizerUpdateBenchmark
{
    public enum Kind { Sgd, SgdMomentum, Adagrad, Adadelta, Rmsprop, Adam, AdamW, Amsgrad, Adamax, Nadam, Radam, Lion, Lamb, Adafactor }

    [ParamsAllValues] public Kind Optimizer;

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
        Kind.Adafactor => new AdafactorOptions(),
        Kind.Lamb => new LambOptions(),
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    protected override IOptimizerOptions Options() => Options(Optimizer);   // single thread: LargeTensorBenchmarks covers threads
}

/// <summary>
/// Bandwidth yardstick: moves exactly Adam's bytes (reads p, g, m, v and writes p, m, v: 28 B/element
/// for float) with one add, through the same driver as the optimizers (<see cref="CopyKernel"/> in src/Fast/Kernels/Probes, shared with
/// `numerics bench`: widest vectors, 64-byte-aligned arrays), single thread.
/// </summary>
public class CopyKernelBenchmarks
{
    [Params(16_384, 10_000_000)] public int N;
    ArraySegment<float> _p, _g, _m, _v;

    [GlobalSetup]
    public void Setup()
    {
        FastOptimizers.MaxDegreeOfParallelism = 1;
        (_p, _g, _m, _v) = CopyKernel.Arrays(N);
    }

    [Benchmark]
    public void Copy28BytesPerElement() => CopyKernel.Run(_p, _g, _m, _v);
}

/// <summary>
/// Adam (Keras defaults) on one tensor of 10,000,000 floats (280 MB moved per update) at 1 and 2 threads, next to the copy
/// kernel moving the same bytes through the same driver and thread count: Adam's bytes/s as a fraction of the copy's.
/// </summary>
[MemoryDiagnoser]
public class LargeTensorBenchmarks
{
    const int N = 10_000_000;
    [Params(1, 2)] public int Threads;
    IOptimizer _adam = null!;
    OptimizerState<float> _state = null!;
    ArraySegment<float> _p, _g, _cp, _cg, _cm, _cv;

    [GlobalSetup]
    public void Setup()
    {
        FastOptimizers.MaxDegreeOfParallelism = Threads;
        _adam = FastOptimizers.For(new AdamOptions());
        _state = _adam.Init<float>(N);
        _p = AlignedBuffer.Allocate<float>(N); _g = AlignedBuffer.Allocate<float>(N);
        OptimizerBenchInput.Fill(_p, _g);
        (_cp, _cg, _cm, _cv) = CopyKernel.Arrays(N);
    }

    [Benchmark(Baseline = true)] public void Copy() => CopyKernel.Run(_cp, _cg, _cm, _cv);

    [Benchmark] public void Adam() => _adam.Update(_state, _p.AsSpan(), _g.AsSpan(), 1e-3);
}
