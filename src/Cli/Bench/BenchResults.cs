namespace NetNumerics.Cli.Bench;

/// <summary>The FMA probe: GFLOP/s of <see cref="Threads"/> threads.</summary>
sealed record FmaRow(int Threads, double Gflops);

/// <summary>The copy probe (28 B per element): ns per element of one pass over <see cref="Elements"/>.</summary>
sealed record CopyRow(int Threads, int Elements, double NsPerElement)
{
    public double GigabytesPerSecond => Fast.Kernels.Probes.CopyKernel.BytesPerElement / NsPerElement;
}

/// <summary>
/// One optimizer update of <see cref="Elements"/> floats, Reference (one thread) and Fast (on <see cref="Threads"/>), in ns per
/// element; <see cref="BytesPerElement"/> = what the update must read and write (p, g and every state slot read; p and the
/// slots written); <see cref="CopyNsPerElement"/> = the copy probe of the same size on as many threads (in memory, its samples
/// taken between Fast's).
/// </summary>
sealed record OptimizerRow(string Optimizer, int Elements, int BytesPerElement, double ReferenceNsPerElement, double FastNsPerElement, double CopyNsPerElement,
    int Threads = 1)
{
    public double CopyGigabytesPerSecond => Fast.Kernels.Probes.CopyKernel.BytesPerElement / CopyNsPerElement;

    public double SpeedUp => ReferenceNsPerElement / FastNsPerElement;
    public double FastGigabytesPerSecond => BytesPerElement / FastNsPerElement;
}

/// <summary>
/// One training step of the seed CNN (TrainStep then one Adam update) of <see cref="Batch"/> samples on <see cref="Threads"/>
/// threads: median wall and process-CPU milliseconds, and the FMA probe's GFLOP per CPU-second from the samples beside it.
/// </summary>
sealed record CnnRow(int Threads, int Batch, double Flops, double Milliseconds, double CpuMilliseconds, double ProbeGflopsPerCpuSecond)
{
    public double Gflops => Flops / Milliseconds / 1e6;

    /// <summary>GFLOP per CPU-second over the probe's: the fraction of peak with time spent descheduled by other load left out
    /// (on 2 threads it counts the workers' spin-waits, so it is a lower bound there).</summary>
    public double FractionOfPeakPerCpuSecond => Flops / CpuMilliseconds / 1e6 / ProbeGflopsPerCpuSecond;
}

/// <summary>Everything one `numerics bench` run measured, with what names the machine and the method.</summary>
sealed class BenchResults
{
    public required string Cpu { get; init; }
    public required int Cores { get; init; }
    public required string VectorWidth { get; init; }
    public required int VectorBits { get; init; }
    public required string Runtime { get; init; }
    public required BenchPlan Plan { get; init; }
    public string LoadBefore { get; set; } = "n/a";
    public string LoadAfter { get; set; } = "n/a";
    public double Seconds { get; set; }
    public List<FmaRow> Fma { get; } = [];
    public List<CopyRow> Copy { get; } = [];
    public List<OptimizerRow> Optimizers { get; } = [];
    public List<CnnRow> Cnn { get; } = [];

    public FmaRow? FmaAt(int threads) => Fma.FirstOrDefault(f => f.Threads == threads);

    /// <summary>Fast's bytes/s as a fraction of the copy probe's sampled next to it (same size, 1 thread).</summary>
    public static double FractionOfCopy(OptimizerRow row) => row.FastGigabytesPerSecond / row.CopyGigabytesPerSecond;

    /// <summary>The step's GFLOP/s as a fraction of the FMA probe's at the same thread count, same run.</summary>
    public double? FractionOfPeak(CnnRow row) => FmaAt(row.Threads) is { } f ? row.Gflops / f.Gflops : null;
}
