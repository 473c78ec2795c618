using System.Globalization;
using System.Text;
using System.Text.Json;
using NetNumerics.Fast.Kernels.Probes;

namespace NetNumerics.Cli.Bench;

/// <summary>
/// The two forms of a `numerics bench` result: one Markdown table for people (<see cref="Table"/>) and JSON for machines
/// (<see cref="Json"/>, the same figures with their units in the key names). A figure that is not a finite positive number
/// is refused (InvalidOperationException) rather than printed: JSON has no NaN, and a zero time means the clock failed.
/// </summary>
static class BenchReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    static string F(double v, int decimals) => v.ToString("F" + decimals.ToString(Inv), Inv);
    static string N(int v) => v.ToString("N0", Inv);
    static string P(double? v) => v is { } f ? (100 * f).ToString("F1", Inv) + " %" : "";
    static string Threads(int t) => t.ToString(Inv);

    public static string Table(BenchResults r)
    {
        var sb = new StringBuilder();
        var plan = r.Plan;
        sb.AppendLine(Inv, $"CPU: {r.Cpu}, {r.Cores} cores; widest accelerated vectors: {r.VectorWidth}; {r.Runtime}");
        sb.AppendLine(Inv, $"load average before / after: {r.LoadBefore} / {r.LoadAfter}; {F(r.Seconds, 1)} s{(plan.IsQuick ? $"; --quick (in-memory size {N(plan.InMemory)}: not out of a large L3)" : "")}");
        sb.AppendLine(Inv, $"timing: Stopwatch, median of {plan.Repetitions} samples after warm-up runs (at least {plan.Warmup} and {F(plan.WarmupSeconds * 1e3, 0)} ms, so the optimized JIT code is timed), a {N(plan.InCache)}-element sample repeating the update for ~{F(plan.InCacheSampleSeconds * 1e3, 1)} ms;");
        sb.AppendLine(Inv, $"CNN: median of {plan.CnnRepetitions} steps after {plan.CnnWarmup} warm-up steps{(r.Cnn.Count > 0 ? ", each step next to one FMA probe sample on as many threads (the FMA rows are those samples)" : "")}");
        sb.AppendLine();
        sb.AppendLine("| measurement | threads | size | Reference | Fast | speed-up | Fast rate | fraction of probe |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in r.Fma)
            sb.AppendLine(Inv, $"| FMA probe, 12 chains on {r.VectorWidth} | {Threads(f.Threads)} | | | | | {F(f.Gflops, 1)} GFLOP/s | |");
        foreach (var c in r.Copy)
            sb.AppendLine(Inv, $"| copy probe, {CopyKernel.BytesPerElement} B/element | {Threads(c.Threads)} | {N(c.Elements)} | | {F(c.NsPerElement, 3)} ns/elem | | {F(c.GigabytesPerSecond, 1)} GB/s | |");
        foreach (var o in r.Optimizers)
            sb.AppendLine(Inv, $"| {o.Optimizer} {(o.Elements == plan.InCache ? "in cache" : "in memory")}, {o.BytesPerElement} B/element | {Threads(o.Threads)} | {N(o.Elements)} | " +
                $"{F(o.ReferenceNsPerElement, 3)} ns/elem | {F(o.FastNsPerElement, 3)} ns/elem | {F(o.SpeedUp, 1)}x | {F(o.FastGigabytesPerSecond, 1)} GB/s | {P(BenchResults.FractionOfCopy(o))} of {F(o.CopyGigabytesPerSecond, 1)} GB/s copy |");
        foreach (var c in r.Cnn)
            sb.AppendLine(Inv, $"| seed CNN step (TrainStep + Adam), {F(c.Flops / 1e9, 3)} GFLOP | {Threads(c.Threads)} | {N(c.Batch)} | | {F(c.Milliseconds, 2)} ms | | {F(c.Gflops, 1)} GFLOP/s | {P(r.FractionOfPeak(c))} of FMA ({P(c.FractionOfPeakPerCpuSecond)} per CPU-second); executed FLOPs: {P(r.FractionOfPeak(c) * SeedCnnFlops.ExecutedShare)} |");
        sb.AppendLine();
        sb.AppendLine("Fraction of probe: an optimizer's bytes/s (B/element / Fast ns) over the copy probe's GB/s on as many threads (shown): in memory, copy samples");
        sb.AppendLine("taken between its Fast samples; in cache, the copy row above (alternating would share L2 between the two). The CNN's GFLOP/s");
        sb.AppendLine("(the model's 3 x forward = 17.02 MFLOP per sample) over the FMA probe's at the same thread count; per CPU-second, the same with both");
        sb.AppendLine("timed in process CPU time, which time lost to other processes does not inflate (on 2 threads it also counts the workers'");
        sb.AppendLine("spin-waits). The machine's other load counts too: compare figures of one run, not of two.");
        sb.AppendLine(Inv, $"The Fast path executes {F(SeedCnnFlops.ExecutedPerSample / 1e6, 2)} of the 17.02 MFLOP ({F(SeedCnnFlops.ExecutedShare, 3)} of them: conv2 by Winograd F(2x2, 3x3) over the 10x10");
        sb.AppendLine("outputs a pool window reads, no input gradient for conv1), so on the model's FLOPs the fraction can pass 100 %; on executed FLOPs it cannot.");
        return sb.ToString();
    }

    public static string Json(BenchResults r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var plan = r.Plan;
            w.WriteStartObject();
            w.WriteNumber("format", 1);
            w.WriteStartObject("machine");
            w.WriteString("cpu", r.Cpu);
            w.WriteNumber("cores", r.Cores);
            w.WriteString("vectorWidth", r.VectorWidth);
            w.WriteNumber("vectorBits", r.VectorBits);
            w.WriteString("runtime", r.Runtime);
            w.WriteString("loadAverageBefore", r.LoadBefore);
            w.WriteString("loadAverageAfter", r.LoadAfter);
            w.WriteEndObject();
            w.WriteStartObject("timing");
            w.WriteBoolean("quick", plan.IsQuick);
            w.WriteString("clock", "Stopwatch");
            w.WriteString("statistic", "median");
            w.WriteNumber("warmup", plan.Warmup);
            w.WriteNumber("warmupSeconds", plan.WarmupSeconds);
            w.WriteNumber("repetitions", plan.Repetitions);
            w.WriteNumber("cnnWarmup", plan.CnnWarmup);
            w.WriteNumber("cnnRepetitions", plan.CnnRepetitions);
            Num(w, "inCacheSampleSeconds", plan.InCacheSampleSeconds);
            w.WriteBoolean("fmaAlternatesWithCnn", r.Cnn.Count > 0);
            Num(w, "seconds", r.Seconds);
            w.WriteEndObject();
            w.WriteStartArray("fma");
            foreach (var f in r.Fma)
            {
                w.WriteStartObject();
                w.WriteNumber("threads", f.Threads);
                Num(w, "gflopsPerSecond", f.Gflops);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("copy");
            foreach (var c in r.Copy)
            {
                w.WriteStartObject();
                w.WriteNumber("threads", c.Threads);
                w.WriteNumber("elements", c.Elements);
                w.WriteNumber("bytesPerElement", CopyKernel.BytesPerElement);
                Num(w, "nsPerElement", c.NsPerElement);
                Num(w, "gigabytesPerSecond", c.GigabytesPerSecond);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("optimizers");
            foreach (var o in r.Optimizers)
            {
                w.WriteStartObject();
                w.WriteString("optimizer", o.Optimizer);
                w.WriteString("where", o.Elements == plan.InCache ? "cache" : "memory");
                w.WriteNumber("threads", o.Threads);
                w.WriteNumber("elements", o.Elements);
                w.WriteNumber("bytesPerElement", o.BytesPerElement);
                Num(w, "referenceNsPerElement", o.ReferenceNsPerElement);
                Num(w, "fastNsPerElement", o.FastNsPerElement);
                Num(w, "speedUp", o.SpeedUp);
                Num(w, "fastGigabytesPerSecond", o.FastGigabytesPerSecond);
                Num(w, "copyNsPerElement", o.CopyNsPerElement);
                Num(w, "fractionOfCopy", BenchResults.FractionOfCopy(o));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("cnn");
            foreach (var c in r.Cnn)
            {
                w.WriteStartObject();
                w.WriteNumber("threads", c.Threads);
                w.WriteNumber("batch", c.Batch);
                Num(w, "flopsPerStep", c.Flops);
                Num(w, "milliseconds", c.Milliseconds);
                Num(w, "gflopsPerSecond", c.Gflops);
                if (r.FractionOfPeak(c) is { } fraction)
                {
                    Num(w, "fractionOfFmaPeak", fraction);
                    Num(w, "fractionOfFmaPeakExecutedFlops", fraction * SeedCnnFlops.ExecutedShare);
                }
                Num(w, "cpuMilliseconds", c.CpuMilliseconds);
                Num(w, "probeGflopsPerCpuSecond", c.ProbeGflopsPerCpuSecond);
                Num(w, "fractionOfFmaPeakPerCpuSecond", c.FractionOfPeakPerCpuSecond);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    static void Num(Utf8JsonWriter w, string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new InvalidOperationException($"the measurement '{name}' came out as {value.ToString("R", Inv)}, not a finite positive number; nothing was written.");
        w.WriteNumber(name, value);
    }

    /// <summary>Every figure of the table must be finite and positive too (the table checks through the JSON writer).</summary>
    public static void Check(BenchResults r) => _ = Json(r);
}
