using BenchmarkDotNet.Attributes;
using NetNumerics.Optimizers;

namespace NetNumerics.Bench.Optimizers;

/// <summary>
/// One update of a float tensor by a wrapper optimizer (Reference vs Fast), beside its base optimizer alone in the same
/// run, so the wrapper's cost is a ratio: sf-sgd vs SGD, sf-adamw vs Adam(b1 = 0) (the base step on z plus one pass over
/// y, z, x), EMA and SWA of Adam vs Adam (the base step plus one pass over the average; SWA averages every update here).
/// Single thread, 16,384 elements (in cache) and 10,000,000 (in memory).
/// Run: dotnet run -c Release --project bench -- --filter "*WrapperOptimizerBenchmarks*" --job short --inProcess --join
/// </summary>
[MemoryDiagnoser]
public class WrapperOptimizerBenchmarks : OptimizerUpdateBenchmark
{
    public enum Kind { SgdBase, ScheduleFreeSgd, AdamWBase, ScheduleFreeAdamW, Adam, EmaAdam, SwaAdam, LookaheadAdam }

    [ParamsAllValues] public Kind Optimizer;

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

    protected override IOptimizerOptions Options() => Options(Optimizer);

    /// <summary>The 10M Fast rows may split across the cores (bit-identically), as a wrapper over a large tensor would.</summary>
    protected override int Threads => Environment.ProcessorCount;

    /// <summary>One step first, so the measured steps are the steady ones (Schedule-Free's first step copies y into z and x,
    /// EMA's and SWA's the weights into the average).</summary>
    protected override int StepsBefore => 1;
}
