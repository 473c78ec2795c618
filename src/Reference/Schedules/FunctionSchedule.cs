using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>
/// A user function of the step (Keras LearningRateScheduler / PyTorch LambdaLR / Optax's "any
/// callable"). From F#: <c>FunctionSchedule(fun t -&gt; 0.1 / float (1L + t))</c>. Each value it
/// returns is checked: a negative or non-finite learning rate throws, naming the step.
/// </summary>
public sealed record FunctionSchedule : ISchedule
{
    /// <summary>Wraps <paramref name="function"/> as a schedule.</summary>
    /// <param name="function">The learning rate at each 0-based step; must return a finite value &gt;= 0 and be pure for resumed runs to match.</param>
    /// <param name="name">What <see cref="ToString"/> prints and error messages name; default "func". (The text grammar cannot read a function back.)</param>
    public FunctionSchedule(Func<long, double> function, string name = "func")
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        Name = name;
    }

    /// <summary>The wrapped function.</summary>
    public Func<long, double> Function { get; }

    /// <summary>The name given at construction.</summary>
    public string Name { get; }

    /// <summary>The function's value at <paramref name="step"/>, checked.</summary>
    /// <param name="step">0-based step, &gt;= 0.</param>
    /// <exception cref="InvalidOperationException">The function returned a negative or non-finite value; the message names the step.</exception>
    public double At(long step)
    {
        StepGuard.Check(step);
        double lr = Function(step);
        if (!double.IsFinite(lr) || lr < 0)
            throw new InvalidOperationException(
                $"The schedule function '{Name}' returned learning rate {ScheduleText.Num(lr)} at step {step}; a learning rate must be a finite number >= 0.");
        return lr;
    }

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
