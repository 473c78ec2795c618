using NetNumerics.Optimizers;
using NetNumerics.Nn;
namespace NetNumerics.Training.Checkpoints;

/// <summary>One trainable tensor as saved: name, shape and values.</summary>
/// <param name="Name">The parameter's name; a resume checks it against the model's.</param>
/// <param name="Shape">Its dimensions; a resume checks them too.</param>
/// <param name="Values">A copy of its values.</param>
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
    /// <summary>The run's seed (shuffles, dropout); a resume must use the same.</summary>
    public required ulong Seed { get; init; }
    /// <summary>The run's batch size; a resume must use the same.</summary>
    public required int BatchSize { get; init; }
    /// <summary>The run's validation split; a resume must use the same.</summary>
    public required double ValidationSplit { get; init; }
    /// <summary>Samples in the training set given to Fit (before the split); a resume must pass the same data.</summary>
    public required int TrainCount { get; init; }
    /// <summary>Whether the schedule advanced per epoch or per iteration.</summary>
    public required ScheduleGranularity Granularity { get; init; }
    /// <summary>Whether epochs were shuffled.</summary>
    public required bool Shuffle { get; init; }

    /// <summary>Epoch to continue (0-based); with <see cref="Batch"/> = 0 it has not started.</summary>
    public required int Epoch { get; init; }
    /// <summary>Next batch of <see cref="Epoch"/> to run (0-based).</summary>
    public required int Batch { get; init; }
    /// <summary>Optimizer updates applied so far in the run (the next update's index).</summary>
    public required long Iteration { get; init; }
    /// <summary>lr = schedule(step) * multiplier: 1 with an untouched schedule, the constant rate without one; callbacks (ReduceLROnPlateau, LearningRateScheduler) change it.</summary>
    public required double LearningRateMultiplier { get; init; }
    /// <summary>The learning rate the next update would use.</summary>
    public required double LearningRate { get; init; }
    /// <summary>Loss and correct-count sums of the batches of <see cref="Epoch"/> already run.</summary>
    public required BatchResult Running { get; init; }
    /// <summary>Whether a callback had stopped the run.</summary>
    public required bool Stopped { get; init; }
    /// <summary>Why the run stopped, or null.</summary>
    public string? StopReason { get; init; }

    /// <summary>The trainer's free-form <see cref="Trainer.Metadata"/> (the CLI's run settings).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    /// <summary>Every weight tensor, in model order.</summary>
    public required IReadOnlyList<ParameterSnapshot> Parameters { get; init; }
    /// <see cref="NetNumerics.Optimizers.IOptimizer.Name"/> of the optimizer; a resume with another optimizer is refused.
    public required string OptimizerName { get; init; }
    /// <summary>One optimizer state per parameter, in model order (step and every slot).</summary>
    public required IReadOnlyList<OptimizerState<float>> OptimizerStates { get; init; }
    /// <summary>The epochs completed so far.</summary>
    public required IReadOnlyList<EpochLogs> History { get; init; }
    /// <summary>Each callback's <see cref="Callback.SaveState"/>, keyed "FullTypeName#k" (the k-th callback of that type, 0-based); callbacks with no state are absent.</summary>
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
