namespace NetNumerics.Training;

/// <summary>When a learning-rate schedule advances: once per epoch (step = 0-based epoch) or once per
/// mini-batch (step = 0-based global iteration).</summary>
public enum ScheduleGranularity
{
    /// <summary>The step is the 0-based epoch; the rate changes between epochs (Keras LearningRateScheduler, PyTorch's usual scheduler.step() per epoch).</summary>
    PerEpoch = 0,
    /// <summary>The step is the 0-based global iteration (optimizer update); the rate changes every batch (Keras LearningRateSchedule objects).</summary>
    PerIteration = 1,
}

/// <summary>
/// How <see cref="Trainer"/> runs: number of epochs, mini-batch size, the fraction of the training set
/// held out for validation (the LAST samples, before shuffling, as Keras' validation_split), the seed of
/// the per-epoch shuffles and of the model's dropout, the constant learning rate used when no schedule
/// is given, and whether a schedule advances per epoch or per iteration. Defaults are the seed run
/// (batch 250, split 0.2, 25 epochs, seed 1, Adam's 1e-3).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs to run, &gt;= 0; default 25.</summary>
    public int Epochs { get; init; } = 25;
    /// <summary>Samples per mini-batch, &gt; 0; default 250. The last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 250;
    /// <summary>Fraction of the training set held out, in [0, 1): the LAST samples, taken before shuffling (Keras <c>validation_split</c>); default 0.2.</summary>
    public double ValidationSplit { get; init; } = 0.2;
    /// <summary>Seed of the per-epoch shuffles and of the model's dropout masks; default 1.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>The constant learning rate when no schedule is given, finite and &gt;= 0; default 1e-3 (Adam's). Ignored with a schedule.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Whether the schedule's step is the epoch (default) or the iteration.</summary>
    public ScheduleGranularity ScheduleGranularity { get; init; } = ScheduleGranularity.PerEpoch;

    /// <summary>
    /// Gradient clipping applied before every update (Keras clipvalue, then global_clipnorm; none by default),
    /// by <see cref="OptimizerSet"/> with the clipper handed to the <see cref="Trainer"/>.
    /// </summary>
    public NetNumerics.Optimizers.ClippingOptions Clipping { get; init; } = new();

    /// <summary>Shuffle the training part every epoch (a pure function of (Seed, epoch)); off = natural order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// PyTorch DataLoader's <c>drop_last</c>: train only on whole batches (an epoch is floor(n / BatchSize) batches; the
    /// remainder of the shuffled order is skipped that epoch). Off (Keras) = the last, partial batch is trained too.
    /// </summary>
    public bool DropLastBatch { get; init; }

    /// <summary>Throws naming the first option that is out of range.</summary>
    public TrainingOptions Validate()
    {
        Guard.NonNegative(Epochs, nameof(Epochs));
        Guard.Positive(BatchSize, nameof(BatchSize));
        if (!double.IsFinite(ValidationSplit) || ValidationSplit < 0 || ValidationSplit >= 1)
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit,
                $"{nameof(ValidationSplit)} must be in [0, 1), but was {ValidationSplit.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.");
        Guard.NonNegativeFinite(LearningRate, nameof(LearningRate));
        ArgumentNullException.ThrowIfNull(Clipping, nameof(Clipping));
        if (!Enum.IsDefined(ScheduleGranularity))
            throw new ArgumentOutOfRangeException(nameof(ScheduleGranularity), ScheduleGranularity,
                $"{nameof(ScheduleGranularity)} must be PerEpoch or PerIteration, but was {(int)ScheduleGranularity}.");
        return this;
    }
}
