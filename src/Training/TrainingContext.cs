using NetNumerics.Training.Callbacks;
using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// What a <see cref="Callback"/> sees and may change during <see cref="Trainer.Fit"/>: the model and its
/// weights, the position in the run, the learning rate, a stop flag and checkpoint requests.
/// </summary>
public sealed class TrainingContext
{
    readonly Trainer _trainer;
    internal readonly List<string> CheckpointRequests = [];

    internal TrainingContext(Trainer trainer, int trainSamples, int validationSamples, int batchesPerEpoch)
    {
        _trainer = trainer;
        TrainSamples = trainSamples;
        ValidationSamples = validationSamples;
        BatchesPerEpoch = batchesPerEpoch;
    }

    /// <summary>The model being trained (its Parameters hold the current weights and the last gradients).</summary>
    public IModel Model => _trainer.Model;
    /// <summary>The run's options.</summary>
    public TrainingOptions Options => _trainer.Options;
    /// <summary>Samples trained on per epoch (the training set less the validation split).</summary>
    public int TrainSamples { get; }
    /// <summary>Samples held out for validation (0 without a split).</summary>
    public int ValidationSamples { get; }
    /// <summary>Batches per epoch, the last one possibly partial.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>0-based epoch in progress.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Optimizer updates applied so far in the whole run (the next step's index).</summary>
    public long Iteration { get; internal set; }

    /// <summary>
    /// In <see cref="Callback.OnEpochEnd"/>: true when every batch of the epoch was applied, false when a stop requested
    /// mid-epoch (e.g. by <see cref="Callbacks.TerminateOnNaN"/>) cut it short; <see cref="Callbacks.ModelCheckpoint"/> does not save such
    /// an epoch, so the previous file stays the last good one.
    /// </summary>
    public bool EpochCompleted { get; internal set; }

    /// <summary>Epochs completed so far (history), oldest first.</summary>
    public IReadOnlyList<EpochLogs> History => _trainer.HistoryList;

    /// <summary>The learning rate the next update will use.</summary>
    public double LearningRate => _trainer.CurrentLearningRate;

    /// <summary>
    /// Sets the learning rate from now on. With a schedule, the schedule keeps running and is scaled by
    /// lr / schedule(now) for the rest of the run (so LearningRateScheduler and ReduceLROnPlateau compose with
    /// schedules); without one, this is the new constant rate.
    /// </summary>
    public void SetLearningRate(double learningRate) =>
        _trainer.SetLearningRate(Guard.NonNegativeFinite(learningRate, nameof(learningRate)));

    /// <summary>Set to stop after the current batch (from OnGradients/OnBatchEnd) or epoch (from OnEpochEnd).</summary>
    public bool StopTraining { get; set; }

    /// <summary>Why the run stopped early, for the report; null if it ran all epochs.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Sets <see cref="StopTraining"/> and records <paramref name="reason"/> (the first reason given wins).</summary>
    /// <param name="reason">One line saying why, shown in the result and the CLI.</param>
    public void RequestStop(string reason)
    {
        StopTraining = true;
        StopReason ??= reason;
    }

    /// <summary>
    /// Asks the trainer to write a full checkpoint to <paramref name="path"/> once every callback has seen this
    /// batch or epoch end (so the file holds every callback's updated state). Written atomically.
    /// </summary>
    public void RequestCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!CheckpointRequests.Contains(path)) CheckpointRequests.Add(path);
    }

    /// <summary>A copy of every parameter tensor, in model order.</summary>
    public float[][] GetWeights() => Model.Parameters.Select(p => p.Values.ToArray()).ToArray();

    /// <summary>Overwrites the model's parameters with <paramref name="weights"/> (same order and lengths as GetWeights).</summary>
    public void SetWeights(IReadOnlyList<float[]> weights)
    {
        var ps = Model.Parameters;
        Guard.SameLength(ps.Count, "model parameters", weights.Count, nameof(weights));
        for (int i = 0; i < ps.Count; i++)
        {
            Guard.SameLength(ps[i].Length, ps[i].Name, weights[i].Length, $"{nameof(weights)}[{i}]");
            weights[i].CopyTo(ps[i].Values);
        }
    }
}
