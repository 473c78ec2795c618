using NetNumerics.Nn;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetNumerics.Training;

namespace NetNumerics.Cli.Commands;

/// <summary>Which share of a suite a run takes: configuration i (0-based) belongs to shard K of N when i mod N = K - 1.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard Whole => new(1, 1);

    public bool Takes(int configIndex) => configIndex % Count == Index - 1;

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Reads "K/N" (integers, 1 &lt;= K &lt;= N); a UsageException naming --shard otherwise.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new UsageException($"--shard '{text}' is not K/N with integers 1 <= K <= N (e.g. 2/4: the second of four shards).");
    }
}

/// <summary>
/// The machine-readable side of a comparison folder, what `compare merge` reads: compare.json (format, header, the whole
/// suite's configurations, the shard and which configurations it ran) and NN-name/outcome.json per configuration (its
/// full history, test result, stop reason, time and error, numbers written so they read back to the same bits).
/// </summary>
static class CompareStore
{
    public const int Format = 1;
    public const string ManifestFile = "compare.json", OutcomeFile = "outcome.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public sealed record ConfigDto(int Index, string Name, string Group, string Optimizer, double Lr, string? Schedule, bool PerIteration, ulong? Seed)
    {
        public static ConfigDto Of(int index, RunConfig c) => new(index, c.Name, c.Group, c.Optimizer, c.LearningRate, c.Schedule, c.PerIteration, c.Seed);
        public RunConfig ToConfig() => new(Name, Optimizer, Lr, Schedule, PerIteration) { Seed = Seed, Group = Group };
    }

    public sealed record Manifest(int Format, CompareHeader Header, int ShardIndex, int ShardCount, IReadOnlyList<ConfigDto> Configs, IReadOnlyList<int> Ran);

    public sealed record EpochDto(int Epoch, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy, double LearningRate, double Seconds);

    public sealed record TestDto(double LossSum, int Correct, int Count);

    public sealed record OutcomeDto(int Index, string Name, IReadOnlyList<EpochDto> History, TestDto? Test, string? StopReason, double Seconds, string? Error);

    public static void WriteManifest(string dir, CompareHeader header, Shard shard, IReadOnlyList<RunConfig> all, IEnumerable<int> ran) =>
        File.WriteAllText(Path.Combine(dir, ManifestFile), JsonSerializer.Serialize(
            new Manifest(Format, header, shard.Index, shard.Count, all.Select((c, i) => ConfigDto.Of(i, c)).ToArray(), ran.ToArray()), Json));

    public static void WriteOutcome(string configDir, CompareOutcome o) =>
        File.WriteAllText(Path.Combine(configDir, OutcomeFile), JsonSerializer.Serialize(new OutcomeDto(o.Index, o.Config.Name,
            o.History.Select(e => new EpochDto(e.Epoch, e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy, e.LearningRate, e.Seconds)).ToArray(),
            o.Test is { } t ? new TestDto(t.LossSum, t.Correct, t.Count) : null, o.StopReason, o.Seconds, o.Error), Json));

    /// <summary>compare.json of a results folder; a UsageException naming the folder when it is missing or unreadable.</summary>
    public static Manifest ReadManifest(string dir)
    {
        string path = Path.Combine(dir, ManifestFile);
        if (!Directory.Exists(dir)) throw new UsageException($"{dir} does not exist.");
        if (!File.Exists(path)) throw new UsageException($"{dir} has no {ManifestFile}; it is not a folder written by `numerics compare`.");
        var m = Read<Manifest>(path);
        if (m.Format != Format) throw new UsageException($"{path} has format {m.Format}; this build reads format {Format}.");
        if (m.Header is null || m.Configs is null || m.Ran is null) throw new UsageException($"{path} lacks its header, configs or ran list.");
        return m;
    }

    /// <summary>The outcome a folder holds for configuration <paramref name="index"/> of <paramref name="m"/>.</summary>
    public static CompareOutcome ReadOutcome(string dir, Manifest m, int index)
    {
        var config = m.Configs[index].ToConfig();
        string folder = CompareOutcome.FolderName(index, config.Name);
        string path = Path.Combine(dir, folder, OutcomeFile);
        if (!File.Exists(path)) throw new UsageException($"{path} is missing: {dir} says it ran configuration {index + 1} ('{config.Name}').");
        var o = Read<OutcomeDto>(path);
        if (o.Index != index || o.Name != config.Name || o.History is null)
            throw new UsageException($"{path} is for configuration {o.Index + 1} ('{o.Name}'), not {index + 1} ('{config.Name}').");
        return new CompareOutcome(index, config, folder,
            o.History.Select(e => new EpochLogs(e.Epoch, e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy, e.LearningRate, e.Seconds)).ToArray(),
            o.Test is { } t ? new BatchResult(t.LossSum, t.Correct, t.Count) : null, o.StopReason, o.Seconds, o.Error);
    }

    static T Read<T>(string path)
    {
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new UsageException($"{path} is empty JSON (null)."); }
        catch (JsonException e) { throw new UsageException($"{path} is not valid: {e.Message.Split('\n')[0]}"); }
    }
}
