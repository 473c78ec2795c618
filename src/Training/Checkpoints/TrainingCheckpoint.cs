using NetNumerics.Optimizers;
using NetNumerics.Nn;
namespace NetNumerics.Training.Checkpoints;

/// <summary>One trainable tensor as saved: name, shape and values.</summary>
public sealed record ParameterSnapshot(string Name, int[] Shape, float[] Values);

/// <summary>
/// Everything a training run needs to continue exactly where it was: the run settings it must be resumed
/// with (seed, batch size, split, shuffle, granularity), the position (epoch, batch within it, global
/// iteration, the epoch's running loss/accuracy sums), the learning-rate multiplier, the weights, the
/// optimizer state of every parameter, the history, every callback's state, and free-form metadata.
/// Shuffles and dropout are counter-based, so (seed, epoch, iteration) is the whole RNG state.
/// Stored on disk by <see cref="CheckpointFile"/> (format in CHECKPOINT.md).
/// </summary>
public sealed class TrainingCheckpoint
{
    public required ulong Seed { get; init; }
    public required int BatchSize { get; init; }
    public required double ValidationSplit { get; init; }
    public required int TrainCount { get; init; }
    public required ScheduleGranularity Granularity { get; init; }
    public required bool Shuffle { get; init; }

    /// <summary>Epoch to continue (0-based); with <see cref="Batch"/> = 0 it has not started.</summary>
    public required int Epoch { get; init; }
    /// <summary>Next batch of <see cref="Epoch"/> to run (0-based).</summary>
    public required int Batch { get; init; }
    public required long Iteration { get; init; }
    public required double LearningRateMultiplier { get; init; }
    public required double LearningRate { get; init; }
    /// <summary>Loss and correct-count sums of the batches of <see cref="Epoch"/> already run.</summary>
    public required BatchResult Running { get; init; }
    public required bool Stopped { get; init; }
    public string? StopReason { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required IReadOnlyList<ParameterSnapshot> Parameters { get; init; }
    public required string OptimizerName { get; init; }
    public required IReadOnlyList<OptimizerState<float>> OptimizerStates { get; init; }
    public required IReadOnlyList<EpochLogs> History { get; init; }
    public required IReadOnlyList<KeyValuePair<string, CallbackState>> CallbackStates { get; init; }

    /// <summary>Throws an ArgumentException naming the first parameter whose name or shape differs from <paramref name="model"/>'s.</summary>
    public void CheckMatches(IModel model)
    {
        var ps = model.Parameters;
        if (ps.Count != Parameters.Count)
            throw new ArgumentException(
                $"the checkpoint holds {Parameters.Count} parameter tensors, but the model has {ps.Count}; it was written for a different model.", nameof(model));
        for (int i = 0; i < ps.Count; i++)
        {
            var saved = Parameters[i];
            if (saved.Name != ps[i].Name || !saved.Shape.SequenceEqual(ps[i].Shape))
                throw new ArgumentException(
                    $"checkpoint parameter {i} is '{saved.Name}' [{string.Join("x", saved.Shape)}], but the model's is " +
                    $"'{ps[i].Name}' [{string.Join("x", ps[i].Shape)}]; it was written for a different model.", nameof(model));
            if (saved.Values.Length != ps[i].Length)
                throw new ArgumentException(
                    $"checkpoint parameter '{saved.Name}' has {saved.Values.Length} values, but the model's has {ps[i].Length}.", nameof(model));
        }
        if (OptimizerStates.Count != ps.Count)
            throw new ArgumentException(
                $"the checkpoint holds {OptimizerStates.Count} optimizer states for {ps.Count} parameters.", nameof(model));
    }

    /// <summary>Copies the saved weights into <paramref name="model"/> (after <see cref="CheckMatches"/>).</summary>
    public void LoadWeightsInto(IModel model)
    {
        CheckMatches(model);
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].Values.CopyTo(model.Parameters[i].Values);
    }
}
