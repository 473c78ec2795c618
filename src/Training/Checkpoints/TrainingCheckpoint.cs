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

    /// <summary>
    /// Checks that the checkpoint describes a state a run can really be in, beyond its bytes being intact: the position
    /// lies inside the run (batch at most the batches of an epoch, one history entry per completed epoch), the update
    /// count agrees with the position and with every tensor's optimizer step, the running sums are those of the batches
    /// already run, the learning rate is finite, and no weight or optimizer slot is NaN or infinite. Throws a
    /// <see cref="CheckpointFormatException"/> naming the first inconsistency ("inconsistent: ...").
    /// </summary>
    public void Validate()
    {
        static CheckpointFormatException Bad(string what) => new($"inconsistent: {what}; the file was not written by a training run (or was edited).");
        if (BatchSize < 1) throw Bad($"batch size {BatchSize}");
        if (TrainCount < 1) throw Bad($"{TrainCount} training samples");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw Bad($"validation split {ValidationSplit}");
        long batches = ((long)TrainCount + BatchSize - 1) / BatchSize, whole = TrainCount / BatchSize;   // whole: with DropLastBatch
        if (Epoch < 0 || Batch < 0 || Iteration < 0) throw Bad($"negative position (epoch {Epoch}, batch {Batch}, iteration {Iteration})");
        if (Batch > batches)
            throw Bad($"it is at batch {Batch} of an epoch that has {batches} batches ({TrainCount} samples in batches of {BatchSize})");
        if (History.Count != Epoch)
            throw Bad($"it is at epoch {Epoch} (0-based, so {Epoch} completed) but holds {History.Count} epochs of history");
        for (int i = 0; i < History.Count; i++)
            if (History[i].Epoch != i) throw Bad($"history entry {i} is for epoch {History[i].Epoch}");
        long expected = Epoch * batches + Batch, expectedWhole = Epoch * whole + Batch;
        if (Stopped ? Iteration > expected : Iteration != expected && Iteration != expectedWhole)
            throw Bad($"at epoch {Epoch}, batch {Batch} of {batches} a run has applied {expected} updates, but the checkpoint says {Iteration}");
        if (!Stopped)
        {
            long samples = Math.Min((long)Batch * BatchSize, TrainCount);
            if (Running.Count != samples)
                throw Bad($"the running sums of epoch {Epoch + 1} count {Running.Count} samples, but its first {Batch} batches hold {samples}");
        }
        if (Running.Count < 0 || Running.Correct < 0 || Running.Correct > Running.Count || Running.LossSum < 0)
            throw Bad($"the running sums are impossible ({Running.Correct} correct of {Running.Count}, loss sum {Running.LossSum})");
        if (!double.IsFinite(LearningRate) || LearningRate < 0 || !double.IsFinite(LearningRateMultiplier))
            throw Bad($"learning rate {LearningRate} (multiplier {LearningRateMultiplier})");
        if (OptimizerStates.Count != Parameters.Count)
            throw Bad($"{OptimizerStates.Count} optimizer states for {Parameters.Count} parameter tensors");
        for (int i = 0; i < OptimizerStates.Count; i++)
        {
            var s = OptimizerStates[i];
            if (s.Step != Iteration)
                throw Bad($"the optimizer state of '{Parameters[i].Name}' has step {s.Step}, but the run has applied {Iteration} updates (every tensor is updated once per batch)");
            // With parameter groups a group may have an optimizer of its own (Muon's AdamW fallback); a resume then checks each
            // state against the optimizer its tensor's group builds.
            if (s.Optimizer != OptimizerName && !Metadata.ContainsKey(Trainer.GroupsMetadataKey))
                throw Bad($"the optimizer state of '{Parameters[i].Name}' belongs to '{s.Optimizer}', but the run's optimizer is '{OptimizerName}'");
            if (s.Length != Parameters[i].Values.Length)
                throw Bad($"the optimizer state of '{Parameters[i].Name}' has length {s.Length}, but the tensor has {Parameters[i].Values.Length} values");
            for (int k = 0; k < s.ScalarNames.Count; k++)
                if (!double.IsFinite(s.Scalars[k]))
                    throw Bad($"scalar '{s.ScalarNames[k]}' of the optimizer state of '{Parameters[i].Name}' is {s.Scalars[k]}");
            for (int k = 0; k < s.SlotNames.Count; k++)
                if (FirstNonFinite(s.SlotAt(k).Span) is { } at)
                    throw Bad($"slot '{s.SlotNames[k]}' of the optimizer state of '{Parameters[i].Name}' is {s.SlotAt(k).Span[at]} at index {at}");
        }
        foreach (var p in Parameters)
            if (FirstNonFinite(p.Values) is { } at)
            {
                int count = 0;
                foreach (float v in p.Values) if (!float.IsFinite(v)) count++;
                throw new CheckpointFormatException(
                    $"parameter '{p.Name}' holds {count} NaN or infinite values of {p.Values.Length} (the first at index {at}: {p.Values[at]}); a run cannot continue from such weights.");
            }
    }

    static int? FirstNonFinite(ReadOnlySpan<float> v)
    {
        if (v.Length == 0 || float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(v))) return null;   // NaN and ±Inf reach the max magnitude
        for (int i = 0; i < v.Length; i++) if (!float.IsFinite(v[i])) return i;
        return null;
    }

    /// <summary>Copies the saved weights into <paramref name="model"/> (after <see cref="CheckMatches"/>).</summary>
    public void LoadWeightsInto(IModel model)
    {
        CheckMatches(model);
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].Values.CopyTo(model.Parameters[i].Values);
    }
}
