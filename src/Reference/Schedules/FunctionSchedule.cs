using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// A user function of the step (Keras LearningRateScheduler / PyTorch LambdaLR / Optax's "any
/// callable"). From F#: <c>FunctionSchedule(fun t -&gt; 0.1 / float (1L + t))</c>. Each value it
/// returns is checked: a negative or non-finite learning rate throws, naming the step.
/// </summary>
public sealed record FunctionSchedule : ISchedule
{
    public FunctionSchedule(Func<long, double> function, string name = "func")
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        Name = name;
    }

    public Func<long, double> Function { get; }

    public string Name { get; }

    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = Function(step);
        if (!double.IsFinite(lr) || lr < 0)
            throw new InvalidOperationException(
                $"The schedule function '{Name}' returned learning rate {ScheduleText.Num(lr)} at step {step}; a learning rate must be a finite number >= 0.");
        return lr;
    }

    public override string ToString() => Name;
}
