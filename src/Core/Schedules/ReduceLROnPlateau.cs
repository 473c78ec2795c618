namespace NetNumerics.Schedules;

/// <summary>Whether a lower (loss) or higher (accuracy) metric is better.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (losses): an improvement is a value below the best.</summary>
    Min,

    /// <summary>Higher is better (accuracies): an improvement is a value above the best.</summary>
    Max,
}

/// <summary>How the improvement threshold compares a metric with the best so far.</summary>
public enum ThresholdMode
{
    /// <summary>Min: <c>a &lt; best * (1 - threshold)</c>; max: <c>a &gt; best * (1 + threshold)</c> (PyTorch default).</summary>
    Relative,
    /// <summary>Min: <c>a &lt; best - threshold</c>; max: <c>a &gt; best + threshold</c> (Keras min_delta, PyTorch 'abs').</summary>
    Absolute,
}

/// <summary>Whose bookkeeping <see cref="ReduceLROnPlateau"/> follows; they differ by one epoch and in cooldown.</summary>
public enum PlateauSemantics
{
    /// <summary>
    /// Keras ReduceLROnPlateau.on_epoch_end (keras/src/callbacks/reduce_lr_on_plateau.py): in cooldown the
    /// counter is decremented and wait reset first; an improvement resets wait; otherwise, if no longer in
    /// cooldown, wait += 1 and when wait &gt;= patience and lr &gt; float32(min_lr): lr = max(lr*factor, min_lr),
    /// cooldown restarts, wait = 0. So lr drops after <c>patience</c> bad epochs.
    /// </summary>
    Keras,
    /// <summary>
    /// PyTorch ReduceLROnPlateau.step (torch/optim/lr_scheduler.py): an improvement resets num_bad_epochs,
    /// otherwise it grows; in cooldown the counter is decremented and num_bad_epochs reset; when
    /// num_bad_epochs &gt; patience: new = max(lr*factor, min_lr), applied only if lr - new &gt; eps; cooldown
    /// restarts, num_bad_epochs = 0. So lr drops after <c>patience + 1</c> bad epochs.
    /// </summary>
    PyTorch,
}

/// <summary>
/// Everything ReduceLROnPlateau remembers between epochs, explicit so it can be inspected, saved and
/// restored: the current learning rate, the best metric so far, the bad-epoch count (Keras <c>wait</c>,
/// PyTorch <c>num_bad_epochs</c>), the cooldown counter and how many metrics were seen.
/// </summary>
/// <param name="LearningRate">The learning rate in force (Keras: the optimizer's lr; PyTorch: the group's lr).</param>
/// <param name="Best">The best metric so far; +inf (min mode) or -inf (max mode) before the first.</param>
/// <param name="BadEpochs">Epochs without improvement since the last improvement or reduction (Keras <c>wait</c>, PyTorch <c>num_bad_epochs</c>).</param>
/// <param name="CooldownCounter">Epochs of cooldown left (Keras and PyTorch <c>cooldown_counter</c>).</param>
/// <param name="Epochs">Metrics seen so far (PyTorch <c>last_epoch</c>).</param>
public sealed record PlateauState(double LearningRate, double Best, long BadEpochs, long CooldownCounter, long Epochs);

/// <summary>
/// Reduce the learning rate when a metric has stopped improving: the one stateful schedule. Options are
/// this record; the state is <see cref="PlateauState"/>, threaded explicitly:
/// <c>var s = p.Init(0.1); s = p.Update(s, valLoss); optimizer lr = s.LearningRate</c>.
/// Defaults are Keras' (factor 0.1, patience 10, min_delta 1e-4 absolute, cooldown 0, min_lr 0);
/// <see cref="PyTorch"/> gives PyTorch's (threshold 1e-4 relative, eps 1e-8).
/// </summary>
public sealed record ReduceLROnPlateau
{
    /// <summary>Whether the metric should go down (<see cref="PlateauMode.Min"/>, default, for losses) or up (<see cref="PlateauMode.Max"/>, accuracies). Keras and PyTorch <c>mode</c>.</summary>
    public PlateauMode Mode { get; init; } = PlateauMode.Min;

    /// <summary>New lr = lr * factor, in [0, 1) (both libraries reject factor &gt;= 1).</summary>
    public double Factor { get; init => field = Guard.UnitInterval(value, nameof(Factor)); } = 0.1;

    /// <summary>Bad epochs tolerated before a reduction, &gt;= 0 (Keras and PyTorch <c>patience</c>, default 10). Keras reduces after <c>patience</c> bad epochs, PyTorch after <c>patience + 1</c>.</summary>
    public long Patience { get; init => field = Guard.NonNegative(value, nameof(Patience)); } = 10;

    /// <summary>Keras min_delta / PyTorch threshold, finite &gt;= 0.</summary>
    public double Threshold { get; init => field = Guard.NonNegativeFinite(value, nameof(Threshold)); } = 1e-4;

    /// <summary>How <see cref="Threshold"/> is compared: absolute (default, Keras <c>min_delta</c>) or relative (PyTorch's default <c>threshold_mode='rel'</c>).</summary>
    public ThresholdMode ThresholdMode { get; init; } = ThresholdMode.Absolute;

    /// <summary>Epochs to wait after a reduction before counting bad epochs again.</summary>
    public long Cooldown { get; init => field = Guard.NonNegative(value, nameof(Cooldown)); }

    /// <summary>Lower bound on the learning rate, finite and &gt;= 0 (Keras <c>min_lr</c>, PyTorch <c>min_lr</c>); default 0.</summary>
    public double MinLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(MinLearningRate)); }

    /// <summary>PyTorch only: a reduction smaller than eps is ignored.</summary>
    public double Eps { get; init => field = Guard.NonNegativeFinite(value, nameof(Eps)); } = 1e-8;

    /// <summary>Whose bookkeeping to follow: <see cref="PlateauSemantics.Keras"/> (default) or <see cref="PlateauSemantics.PyTorch"/>.</summary>
    public PlateauSemantics Semantics { get; init; } = PlateauSemantics.Keras;

    /// <summary>PyTorch's defaults: threshold 1e-4 relative, eps 1e-8, PyTorch bookkeeping.</summary>
    public static ReduceLROnPlateau PyTorch => new() { ThresholdMode = ThresholdMode.Relative, Semantics = PlateauSemantics.PyTorch };

    /// <summary>Keras' defaults: min_delta 1e-4 absolute, Keras bookkeeping.</summary>
    public static ReduceLROnPlateau Keras => new();

    /// <summary>The state before the first metric: best = +inf (min) or -inf (max), counters 0.</summary>
    public PlateauState Init(double initialLearningRate) =>
        new(Guard.NonNegativeFinite(initialLearningRate, nameof(initialLearningRate)),
            Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity, 0, 0, 0);

    /// <summary>Whether metric a improves on best (PyTorch is_better; Keras monitor_op for Absolute).</summary>
    public bool IsBetter(double a, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => a < best * (1.0 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => a < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => a > best * (Threshold + 1.0),
        _ => a > best + Threshold,
    };

    /// <summary>One epoch's metric in, the next state out (the input state is not modified).</summary>
    public PlateauState Update(PlateauState state, double metric)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (double.IsNaN(metric))
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "metric must not be NaN, but was NaN.");
        Guard.NonNegativeFinite(state.LearningRate, "state.LearningRate");
        Guard.NonNegative(state.BadEpochs, "state.BadEpochs");
        Guard.NonNegative(state.CooldownCounter, "state.CooldownCounter");
        return Semantics == PlateauSemantics.Keras ? UpdateKeras(state, metric) : UpdatePyTorch(state, metric);
    }

    PlateauState UpdateKeras(PlateauState s, double current)
    {
        double lr = s.LearningRate, best = s.Best;
        long wait = s.BadEpochs, cooldown = s.CooldownCounter;
        if (cooldown > 0)
        {
            cooldown -= 1;
            wait = 0;
        }
        if (IsBetter(current, best))
        {
            best = current;
            wait = 0;
        }
        else if (!(cooldown > 0))
        {
            wait += 1;
            if (wait >= Patience)
            {
                if (lr > (double)(float)MinLearningRate)   // Keras: old_lr > np.float32(self.min_lr)
                {
                    lr = Math.Max(lr * Factor, MinLearningRate);
                    cooldown = Cooldown;
                    wait = 0;
                }
            }
        }
        return new PlateauState(lr, best, wait, cooldown, s.Epochs + 1);
    }

    PlateauState UpdatePyTorch(PlateauState s, double current)
    {
        double lr = s.LearningRate, best = s.Best;
        long bad = s.BadEpochs, cooldown = s.CooldownCounter;
        if (IsBetter(current, best))
        {
            best = current;
            bad = 0;
        }
        else
        {
            bad += 1;
        }
        if (cooldown > 0)
        {
            cooldown -= 1;
            bad = 0;   // ignore any bad epochs in cooldown
        }
        if (bad > Patience)
        {
            double newLr = Math.Max(lr * Factor, MinLearningRate);
            if (lr - newLr > Eps) lr = newLr;
            cooldown = Cooldown;
            bad = 0;
        }
        return new PlateauState(lr, best, bad, cooldown, s.Epochs + 1);
    }
}
