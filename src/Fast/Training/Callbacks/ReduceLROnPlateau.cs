namespace NetNumerics.Training;

/// <summary>Options of <see cref="ReduceLROnPlateau"/>, Keras' defaults.</summary>
public sealed record ReduceLROnPlateauOptions
{
    public string Monitor { get; init; } = "val_loss";
    /// <summary>New lr = lr * Factor; must be in (0, 1).</summary>
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    /// <summary>Absolute threshold: improvement means current &lt; best - MinDelta (min mode).</summary>
    public double MinDelta { get; init; } = 1e-4;
    public int Cooldown { get; init; } = 0;
    public double MinLearningRate { get; init; } = 0;
}

/// <summary>
/// Keras ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py): at each epoch end, during cooldown
/// count it down and reset wait; if current beats best by MinDelta, best = current and wait = 0; otherwise (out
/// of cooldown) wait += 1 and when wait &gt;= patience and lr &gt; min_lr, lr = max(lr * factor, min_lr), cooldown
/// starts and wait = 0. With a schedule the reduction multiplies the schedule for the rest of the run
/// (see <see cref="TrainingContext.SetLearningRate"/>), which avoids Keras' "lr is not settable" clash.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    readonly bool _max;

    public ReduceLROnPlateau(ReduceLROnPlateauOptions? options = null)
    {
        Options = options ?? new ReduceLROnPlateauOptions();
        _max = Monitor.Maximize(Options.Monitor, Options.Mode);
        if (!(Options.Factor > 0 && Options.Factor < 1))
            throw new ArgumentOutOfRangeException(nameof(Options.Factor), Options.Factor, $"Factor must be in (0, 1), but was {Options.Factor}.");
        Guard.NonNegative(Options.Patience, nameof(Options.Patience));
        Guard.NonNegative(Options.Cooldown, nameof(Options.Cooldown));
        Guard.NonNegativeFinite(Options.MinDelta, nameof(Options.MinDelta));
        Guard.NonNegativeFinite(Options.MinLearningRate, nameof(Options.MinLearningRate));
        Reset();
    }

    public ReduceLROnPlateauOptions Options { get; }
    public double Best { get; private set; }
    public int Wait { get; private set; }
    public int CooldownCounter { get; private set; }

    void Reset()
    {
        Best = _max ? double.NegativeInfinity : double.PositiveInfinity;
        Wait = 0; CooldownCounter = 0;
    }

    bool Better(double a, double b) => _max ? a > b + Options.MinDelta : a < b - Options.MinDelta;

    public override void OnTrainBegin(TrainingContext context) => Reset();

    public override void OnEpochEnd(TrainingContext context, EpochLogs logs)
    {
        double? cur = logs.Get(Options.Monitor);
        if (cur is null) return;
        double current = cur.Value;
        if (CooldownCounter > 0) { CooldownCounter--; Wait = 0; }
        if (Better(current, Best)) { Best = current; Wait = 0; }
        else if (CooldownCounter == 0)
        {
            Wait++;
            if (Wait >= Options.Patience)
            {
                double old = context.LearningRate;
                if (old > (float)Options.MinLearningRate)   // Keras compares with np.float32(min_lr)
                {
                    context.SetLearningRate(Math.Max(old * Options.Factor, Options.MinLearningRate));
                    CooldownCounter = Options.Cooldown;
                    Wait = 0;
                }
            }
        }
    }

    public override CallbackState? SaveState()
    {
        var s = new CallbackState();
        s.Scalars["best"] = Best; s.Scalars["wait"] = Wait; s.Scalars["cooldown_counter"] = CooldownCounter;
        return s;
    }

    public override void LoadState(CallbackState state)
    {
        Best = state.Scalar("best"); Wait = (int)state.Scalar("wait"); CooldownCounter = (int)state.Scalar("cooldown_counter");
    }
}
