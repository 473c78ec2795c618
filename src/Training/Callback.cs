namespace NetNumerics.Training;

/// <summary>
/// A hook into <see cref="Trainer.Fit"/>, in the spirit of Keras callbacks. Every method is a no-op by
/// default. Order per batch: the model's forward/backward, <see cref="OnGradients"/> (the update has not
/// been applied yet; a stop requested here skips it), the optimizer update, <see cref="OnBatchEnd"/>.
/// A callback that keeps state across epochs returns it from <see cref="SaveState"/> so a checkpoint can
/// carry it and <see cref="LoadState"/> can put it back on resume (called after <see cref="OnTrainBegin"/>).
/// </summary>
public abstract class Callback
{
    /// <summary>Once at the start of <see cref="Trainer.Fit"/>, also when resuming (before <see cref="LoadState"/>). Keras <c>on_train_begin</c>.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainBegin(TrainingContext context) { }
    /// <summary>Before the first batch of each epoch (not called for an epoch resumed mid-way). Keras <c>on_epoch_begin</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="epoch">0-based epoch about to start.</param>
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }
    /// <summary>After the batch's forward and backward pass, before the optimizer update: the model's Gradients hold this batch's gradient. Requesting a stop here skips the update. No Keras equivalent.</summary>
    /// <param name="context">The run.</param>
    /// <param name="batch">The batch's position and result (the update has not been applied).</param>
    public virtual void OnGradients(TrainingContext context, BatchLogs batch) { }
    /// <summary>After the batch's update. Keras <c>on_train_batch_end</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="batch">The batch's position, result, running sums and learning rate.</param>
    public virtual void OnBatchEnd(TrainingContext context, BatchLogs batch) { }
    /// <summary>After the epoch's last batch and the validation pass; the history already holds <paramref name="logs"/>. Keras <c>on_epoch_end</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="logs">The epoch's metrics.</param>
    public virtual void OnEpochEnd(TrainingContext context, EpochLogs logs) { }
    /// <summary>Once when the run ends, whether it ran every epoch or was stopped. Keras <c>on_train_end</c>.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainEnd(TrainingContext context) { }

    /// <summary>The state to carry in a checkpoint, or null (default) for a callback with none.</summary>
    public virtual CallbackState? SaveState() => null;
    /// <summary>Restores what <see cref="SaveState"/> returned, when a run is resumed (after <see cref="OnTrainBegin"/>).</summary>
    /// <param name="state">The saved state.</param>
    public virtual void LoadState(CallbackState state) { }
}

/// <summary>A callback's resumable state: named scalars and named float tensors.</summary>
public sealed class CallbackState
{
    /// <summary>Named numbers (e.g. "best", "wait"); keys compared ordinally.</summary>
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);
    /// <summary>Named float arrays (e.g. EarlyStopping's "best_weights/0"); keys compared ordinally.</summary>
    public Dictionary<string, float[]> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>The scalar called <paramref name="name"/>.</summary>
    /// <param name="name">The key.</param>
    /// <exception cref="InvalidDataException">There is no such scalar; the message lists the ones there are.</exception>
    public double Scalar(string name) => Scalars.TryGetValue(name, out var v) ? v
        : throw new InvalidDataException($"callback state has no scalar '{name}'; it has [{string.Join(", ", Scalars.Keys)}].");
}
