using NetNumerics.Schedules;
namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Keras' LearningRateScheduler (keras/src/callbacks/learning_rate_scheduler.py): at the beginning of every
/// epoch sets lr = schedule(epoch, lr), epoch 0-based, lr the current rate.
/// </summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    readonly Func<int, double, double> _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>Uses an <see cref="ISchedule"/> indexed by epoch, ignoring the current rate.</summary>
    public LearningRateScheduler(ISchedule schedule) : this((epoch, _) => schedule.At(epoch)) { }

    /// <summary>Sets the learning rate to <c>schedule(epoch, current lr)</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="epoch">0-based epoch about to start.</param>
    /// <exception cref="InvalidOperationException">The schedule returned a negative or non-finite rate.</exception>
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        double lr = _schedule(epoch, context.LearningRate);
        if (!double.IsFinite(lr) || lr < 0)
            throw new InvalidOperationException($"LearningRateScheduler returned {lr} for epoch {epoch}; it must be finite and >= 0.");
        context.SetLearningRate(lr);
    }
}
