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
    public virtual void OnTrainBegin(TrainingContext context) { }
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }
    public virtual void OnGradients(TrainingContext context, BatchLogs batch) { }
    public virtual void OnBatchEnd(TrainingContext context, BatchLogs batch) { }
    public virtual void OnEpochEnd(TrainingContext context, EpochLogs logs) { }
    public virtual void OnTrainEnd(TrainingContext context) { }

    public virtual CallbackState? SaveState() => null;
    public virtual void LoadState(CallbackState state) { }
}

/// <summary>A callback's resumable state: named scalars and named float tensors.</summary>
public sealed class CallbackState
{
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, float[]> Tensors { get; } = new(StringComparer.Ordinal);

    public double Scalar(string name) => Scalars.TryGetValue(name, out var v) ? v
        : throw new InvalidDataException($"callback state has no scalar '{name}'; it has [{string.Join(", ", Scalars.Keys)}].");
}
