using NetNumerics.Training.Checkpoints;
namespace NetNumerics.Training.Callbacks;

/// <summary>Options of <see cref="ModelCheckpoint"/>.</summary>
public sealed record ModelCheckpointOptions
{
    /// <summary>Keras <c>monitor</c>, used with SaveBestOnly: one of <see cref="EpochLogs.MetricNames"/>; default "val_loss".</summary>
    public string Monitor { get; init; } = "val_loss";
    /// <summary>Keras <c>mode</c>: Auto (default), Min or Max.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    /// <summary>Write only when the monitored value beats the best so far (else every epoch).</summary>
    public bool SaveBestOnly { get; init; } = false;
    /// <summary>Keras' initial_value_threshold: the value to beat before the first save (best-only mode).</summary>
    public double? InitialValueThreshold { get; init; }
    /// <summary>Also write after every this many batches (0 = epoch ends only); for resuming mid-epoch. Ignored with SaveBestOnly.</summary>
    public int EveryBatches { get; init; } = 0;
}

/// <summary>
/// Keras ModelCheckpoint (keras/src/callbacks/model_checkpoint.py) writing a full <see cref="Checkpoints.TrainingCheckpoint"/>
/// (weights, optimizer, position, history, callback states) to one path: every epoch, or with SaveBestOnly only
/// when the monitored value is strictly better than the best so far (no min_delta, as Keras). The trainer writes
/// the file after every callback has seen the epoch end, atomically (temp file, flush to disk, rename), so a crash
/// mid-write leaves the previous file intact. An epoch that a stop cut short mid-epoch (TerminateOnNaN) is not saved:
/// the file from the last completed epoch (or batch interval) stays the last good one.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    readonly bool _max;

    /// <summary>A checkpoint callback writing to <paramref name="path"/> (overwritten each time).</summary>
    /// <param name="path">The checkpoint file; its folder must exist.</param>
    /// <param name="options">When to save (every epoch by default).</param>
    /// <exception cref="ArgumentException">The path is empty, the monitor is not a logged metric, or EveryBatches is negative.</exception>
    public ModelCheckpoint(string path, ModelCheckpointOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Options = options ?? new ModelCheckpointOptions();
        _max = Monitor.Maximize(Options.Monitor, Options.Mode);
        Guard.NonNegative(Options.EveryBatches, nameof(Options.EveryBatches));
        Best = InitialBest;
    }

    /// <summary>The checkpoint file written.</summary>
    public string Path { get; }
    /// <summary>The options it was built with.</summary>
    public ModelCheckpointOptions Options { get; }
    /// <summary>The best monitored value so far (best-only mode); saved in checkpoints.</summary>
    public double Best { get; private set; }
    /// <summary>How many files this callback has requested in this run.</summary>
    public int Saves { get; private set; }

    double InitialBest => Options.InitialValueThreshold ?? (_max ? double.NegativeInfinity : double.PositiveInfinity);

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context) { Best = InitialBest; Saves = 0; }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, BatchLogs batch)
    {
        if (!Options.SaveBestOnly && Options.EveryBatches > 0 && context.Iteration % Options.EveryBatches == 0)
            Save(context);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochLogs logs)
    {
        if (!context.EpochCompleted) return;   // cut short mid-epoch (e.g. TerminateOnNaN): keep the last good file
        if (!Options.SaveBestOnly) { Save(context); return; }
        double? current = logs.Get(Options.Monitor);
        if (current is null) return;
        if (_max ? current.Value > Best : current.Value < Best)
        {
            Best = current.Value;
            Save(context);
        }
    }

    void Save(TrainingContext context)
    {
        context.RequestCheckpoint(Path);
        Saves++;
    }

    /// <summary>"best".</summary>
    public override CallbackState? SaveState()
    {
        var s = new CallbackState();
        s.Scalars["best"] = Best;
        return s;
    }

    /// <inheritdoc />
    public override void LoadState(CallbackState state) => Best = state.Scalar("best");
}
