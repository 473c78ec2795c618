using NetNumerics.Reference.Schedules;
using BenchmarkDotNet.Attributes;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;

namespace NetNumerics.Bench.Schedules;

/// <summary>
/// 1M steps of a schedule: the Reference record's At per step versus the Fast range fill (same bits). time, clr and wsd
/// fill through the vector step kernel (wsd: 1 - sqrt cooldown, so a division and a square root per step); the others per element.
/// Run: dotnet run -c Release --project bench -- --filter '*ScheduleBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    const int Steps = 1_000_000;

    [Params("time", "step", "cosine", "clr", "wsd", "warmup*cosine")]
    public string Name { get; set; } = "time";

    ISchedule _reference = null!;
    RangeSchedule _fast = null!;
    readonly double[] _destination = new double[Steps];

    [GlobalSetup]
    public void Setup()
    {
        var cosine = new CosineDecay { InitialLearningRate = 0.1, DecaySteps = Steps, Alpha = 0.01 };
        _reference = Name switch
        {
            "time" => new TimeBasedDecay { InitialLearningRate = 0.1, DecayRate = 1e-4 },
            "step" => new StepDecay { InitialLearningRate = 0.1, Drop = 0.5, EpochsDrop = 10_000 },
            "cosine" => cosine,
            "clr" => new CyclicalLearningRate { BaseLearningRate = 1e-3, MaxLearningRate = 6e-3, StepSize = 2000 },
            "wsd" => new WarmupStableDecay { LearningRate = 0.1, WarmupSteps = 10_000, StableSteps = 790_000, DecaySteps = 200_000, Form = CooldownForm.OneMinusSqrt },
            _ => new ProductSchedule(new LinearWarmup { InitialLearningRate = 0, TargetLearningRate = 1, WarmupSteps = 10_000 }, cosine),
        };
        _fast = FastSchedule.From(_reference);
    }

    [Benchmark(Baseline = true)]
    public double ReferenceAtEachStep()
    {
        var d = _destination;
        for (int i = 0; i < d.Length; i++) d[i] = _reference.At(i);
        return d[^1];
    }

    [Benchmark]
    public double FastFill()
    {
        _fast.Fill(0, _destination);
        return _destination[^1];
    }

    /// <summary>The same fill capped to one scalar lane (SimdWidth.Limit): what the step kernel ran on machines without
    /// AVX-512 before it was width-generic, so the vector fill's gain is a ratio in one run.</summary>
    [Benchmark]
    public double FastFillOneLane()
    {
        using (SimdWidth.Limit(VectorWidth.Scalar)) _fast.Fill(0, _destination);
        return _destination[^1];
    }
}
