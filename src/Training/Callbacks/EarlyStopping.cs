namespace NetNumerics.Training.Callbacks;

/// <summary>Options of <see cref="EarlyStopping"/>, Keras' defaults.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Keras <c>monitor</c>: the metric watched, one of <see cref="EpochLogs.MetricNames"/>; default "val_loss".</summary>
    public string Monitor { get; init; } = "val_loss";
    /// <summary>An improvement must beat the best by more than this (absolute value is used).</summary>
    public double MinDelta { get; init; } = 0;
    /// <summary>Keras <c>patience</c>: epochs without improvement before stopping, &gt;= 0; default 0.</summary>
    public int Patience { get; init; } = 0;
    /// <summary>Keras <c>mode</c>: Auto (default; names containing "acc" are maximised), Min or Max.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    /// <summary>If set, the wait counter only resets when the value also beats this baseline.</summary>
    public double? Baseline { get; init; }
    /// <summary>Keras <c>restore_best_weights</c>: put back the weights of the best epoch when training ends; default false.</summary>
    public bool RestoreBestWeights { get; init; } = false;
    /// <summary>Keras <c>start_from_epoch</c>: 0-based epochs before this one are not monitored; default 0.</summary>
    public int StartFromEpoch { get; init; } = 0;
}

/// <summary>
/// Keras 3 EarlyStopping (keras/src/callbacks/early_stopping.py), line for line: at each epoch end (from
/// StartFromEpoch on) wait += 1; if current - min_delta beats best (min mode; + for max) then best = current,
/// the weights are snapshotted when restoring, and wait = 0 only if the baseline is also beaten; otherwise stop
/// when wait &gt;= patience and epoch &gt; 0. With RestoreBestWeights the weights of the best epoch (or of the
/// first monitored epoch if none improved) are put back at the end of training, whether or not it stopped early.
/// </summary>
public sealed class EarlyStopping : Callback
{
    readonly bool _max;
    double _best;
    float[][]? _bestWeights;

    /// <summary>An early-stopping callback with <paramref name="options"/> (Keras' defaults when null).</summary>
    /// <param name="options">What to monitor and how patiently.</param>
    /// <exception cref="ArgumentException">The monitor is not a logged metric, the patience is negative, or MinDelta is not finite.</exception>
    public EarlyStopping(EarlyStoppingOptions? options = null)
    {
        Options = options ?? new EarlyStoppingOptions();
        _max = Monitor.Maximize(Options.Monitor, Options.Mode);
        Guard.NonNegative(Options.Patience, nameof(Options.Patience));
        if (!double.IsFinite(Options.MinDelta))
            throw new ArgumentOutOfRangeException(nameof(Options.MinDelta), Options.MinDelta, "MinDelta must be finite.");
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The options it was built with.</summary>
    public EarlyStoppingOptions Options { get; }
    /// <summary>Keras <c>wait</c>: epochs since the last improvement (saved in checkpoints).</summary>
    public int Wait { get; private set; }
    /// <summary>Keras <c>stopped_epoch</c>: the 0-based epoch after which it stopped the run, 0 if it did not.</summary>
    public int StoppedEpoch { get; private set; }
    /// <summary>The 0-based epoch of the best value so far.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The best monitored value so far (+inf or -inf before the first).</summary>
    public double Best => _best;

    bool IsImprovement(double value, double reference)
    {
        double delta = Math.Abs(Options.MinDelta);
        return _max ? value - delta > reference : value + delta < reference;   // monitor_op(current - min_delta, ref), min_delta negated for min
    }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        Wait = 0; StoppedEpoch = 0; BestEpoch = 0; _bestWeights = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochLogs logs)
    {
        double? current = logs.Get(Options.Monitor);
        if (current is null || logs.Epoch < Options.StartFromEpoch) return;
        if (Options.RestoreBestWeights && _bestWeights is null)
        {
            _bestWeights = context.GetWeights();
            BestEpoch = logs.Epoch;
        }
        Wait++;
        if (IsImprovement(current.Value, _best))
        {
            _best = current.Value;
            BestEpoch = logs.Epoch;
            if (Options.RestoreBestWeights) _bestWeights = context.GetWeights();
            if (Options.Baseline is null || IsImprovement(current.Value, Options.Baseline.Value)) Wait = 0;
            return;
        }
        if (Wait >= Options.Patience && logs.Epoch > 0)
        {
            StoppedEpoch = logs.Epoch;
            context.RequestStop($"EarlyStopping: {Options.Monitor} did not improve on {_best:G6} (epoch {BestEpoch + 1}) for {Wait} epochs; stopped after epoch {logs.Epoch + 1}.");
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (Options.RestoreBestWeights && _bestWeights is not null) context.SetWeights(_bestWeights);
    }

    /// <summary>"best", "wait", "stopped_epoch", "best_epoch" and, with RestoreBestWeights, the best weights as "best_weights/i".</summary>
    public override CallbackState? SaveState()
    {
        var s = new CallbackState();
        s.Scalars["best"] = _best; s.Scalars["wait"] = Wait; s.Scalars["stopped_epoch"] = StoppedEpoch; s.Scalars["best_epoch"] = BestEpoch;
        if (_bestWeights is not null)
            for (int i = 0; i < _bestWeights.Length; i++) s.Tensors[$"best_weights/{i}"] = _bestWeights[i];
        return s;
    }

    /// <inheritdoc />
    public override void LoadState(CallbackState state)
    {
        _best = state.Scalar("best"); Wait = (int)state.Scalar("wait");
        StoppedEpoch = (int)state.Scalar("stopped_epoch"); BestEpoch = (int)state.Scalar("best_epoch");
        var w = new List<float[]>();
        while (state.Tensors.TryGetValue($"best_weights/{w.Count}", out var t)) w.Add(t.ToArray());
        _bestWeights = w.Count > 0 ? w.ToArray() : null;
    }
}
