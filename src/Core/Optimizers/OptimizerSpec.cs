namespace NetNumerics.Optimizers;

/// <summary>
/// An optimizer as its text form names it (<see cref="OptimizerParser"/>): the options record, plus Keras 2's
/// per-iteration <c>decay</c>, which is not an option of the update itself but a factor on the learning rate,
/// <c>lr_t = lr / (1 + Decay * iterations)</c> with iterations = updates already applied (keras/optimizers.py,
/// tags 2.0.8 to 2.2.4: <c>lr * (1. / (1. + self.decay * K.cast(self.iterations, ...)))</c>). A trainer applies it
/// as the time-based schedule <c>time:k=Decay</c> evaluated at every iteration, on top of any schedule.
/// Records compare by value, so <c>OptimizerParser.Parse(OptimizerParser.Print(s)) == s</c>.
/// </summary>
public sealed record OptimizerSpec
{
    /// <summary>An optimizer with these options and no Keras 2 decay.</summary>
    public OptimizerSpec(IOptimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The update's hyperparameters (checked when set; combinations by <see cref="IOptimizerOptions.Validate"/>).</summary>
    public IOptimizerOptions Options { get; }

    /// <summary>Keras 2's <c>decay</c>, a finite number &gt;= 0; 0 (the default) leaves the learning rate alone.</summary>
    public double Decay { get; init => field = Guard.NonNegativeFinite(value, nameof(Decay)); }

    /// <summary>The text form, as <see cref="OptimizerParser.Print(OptimizerSpec)"/> writes it.</summary>
    public override string ToString() => OptimizerParser.Print(this);
}
