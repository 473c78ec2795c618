using NetNumerics.Schedules;

namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Training adapter of the pure <see cref="ReduceLROnPlateau"/> record (Keras or PyTorch bookkeeping, as its
/// <see cref="ReduceLROnPlateau.Semantics"/> says): at each epoch end it feeds the monitored metric and the
/// current learning rate to <see cref="ReduceLROnPlateau.Update"/> and applies the new rate. With a schedule
/// the reduction multiplies the schedule for the rest of the run (see <see cref="TrainingContext.SetLearningRate"/>),
/// which avoids Keras' "lr is not settable" clash. The state (<see cref="State"/>) is saved in checkpoints.
/// </summary>
public sealed class ReduceLROnPlateauCallback : Callback
{
    /// <param name="rule">The plateau rule (Keras defaults when null). Its <see cref="ReduceLROnPlateau.Mode"/> is
    /// replaced by the one <paramref name="mode"/> resolves for <paramref name="monitor"/>.</param>
    /// <param name="monitor">The logged metric to watch (see <see cref="EpochLogs.MetricNames"/>).</param>
    /// <param name="mode">Min, Max, or Auto (Keras: names containing "acc" are maximised).</param>
    public ReduceLROnPlateauCallback(ReduceLROnPlateau? rule = null, string monitor = "val_loss", MonitorMode mode = MonitorMode.Auto)
    {
        bool max = Callbacks.Monitor.Maximize(monitor, mode);
        Rule = (rule ?? new ReduceLROnPlateau()) with { Mode = max ? PlateauMode.Max : PlateauMode.Min };
        Monitor = monitor;
        State = Rule.Init(0);
    }

    /// <summary>The rule applied, with its mode resolved.</summary>
    public ReduceLROnPlateau Rule { get; }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }

    /// <summary>The plateau state after the last epoch (best metric, bad epochs, cooldown).</summary>
    public PlateauState State { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context) => State = Rule.Init(context.LearningRate);

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochLogs logs)
    {
        if (logs.Get(Monitor) is not { } current) return;
        double lr = context.LearningRate;
        State = Rule.Update(State with { LearningRate = lr }, current);
        if (State.LearningRate != lr) context.SetLearningRate(State.LearningRate);
    }

    /// <inheritdoc />
    public override CallbackState? SaveState()
    {
        var s = new CallbackState();
        s.Scalars["best"] = State.Best; s.Scalars["wait"] = State.BadEpochs; s.Scalars["cooldown_counter"] = State.CooldownCounter;
        return s;
    }

    /// <inheritdoc />
    public override void LoadState(CallbackState state) =>
        State = State with { Best = state.Scalar("best"), BadEpochs = (long)state.Scalar("wait"), CooldownCounter = (long)state.Scalar("cooldown_counter") };
}
