using NetNumerics.Schedules;
namespace NetNumerics.Reference.Schedules;

/// <summary>Which epoch index the seed articles' step decay floors.</summary>
public enum StepDecayForm
{
    /// <summary><c>lr0 * drop^floor(epoch / every)</c>: the first drop happens at epoch = every.</summary>
    Epoch,
    /// <summary><c>lr0 * drop^floor((1 + epoch) / every)</c>: the articles' Keras callback; the first drop happens at epoch = every - 1.</summary>
    EpochPlusOne,
}

/// <summary>
/// Step decay: the learning rate is multiplied by <c>drop</c> every <c>every</c> epochs
/// (the seed articles' <c>step_decay</c> callback; PyTorch StepLR with gamma = drop, step_size = every,
/// for <see cref="StepDecayForm.Epoch"/>).
/// </summary>
public sealed record StepDecay : ISchedule
{
    /// <summary>lr0, the rate before the first drop, finite and &gt;= 0; default 0.1.</summary>
    public double InitialLearningRate { get; init => field = Guard.NonNegativeFinite(value, nameof(InitialLearningRate)); } = 0.1;

    /// <summary>Factor applied at each drop, in (0, 1].</summary>
    public double Drop { get; init => field = Guard.UnitIntervalOpenZero(value, nameof(Drop)); } = 0.5;

    /// <summary>Epochs between drops, &gt; 0.</summary>
    public long EpochsDrop { get; init => field = Guard.Positive(value, nameof(EpochsDrop)); } = 10;

    /// <summary>Which epoch index is floored: <see cref="StepDecayForm.Epoch"/> (default, PyTorch StepLR) or <see cref="StepDecayForm.EpochPlusOne"/> (the articles' callback).</summary>
    public StepDecayForm Form { get; init; } = StepDecayForm.Epoch;

    /// <summary>Number of drops applied at this epoch: <c>floor(epoch/every)</c> or <c>floor((1+epoch)/every)</c> (integer division, exact).</summary>
    public long DropsAt(long step) =>
        Form == StepDecayForm.Epoch ? step / EpochsDrop : (1 + step) / EpochsDrop;

    /// <summary><c>lr0 * Math.Pow(drop, floor(...))</c>.</summary>
    public double At(long step)
    {
        StepGuard.Check(step);
        return InitialLearningRate * Math.Pow(Drop, DropsAt(step));
    }

    /// <summary>The text form <c>step:lr=...,drop=...,every=...,form=epoch|epoch+1</c>, which <see cref="ScheduleParser.Parse"/> reads back.</summary>
    public override string ToString() => ScheduleText.Format("step",
        ("lr", ScheduleText.Num(InitialLearningRate)), ("drop", ScheduleText.Num(Drop)),
        ("every", ScheduleText.Num(EpochsDrop)), ("form", Form == StepDecayForm.Epoch ? "epoch" : "epoch+1"));
}
