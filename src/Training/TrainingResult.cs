using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> returns: the history (one <see cref="EpochLogs"/> per completed epoch, the
/// equivalent of Keras' History object), the test result if a test set was given, why the run stopped early
/// (null if it ran every epoch) and how many optimizer updates were applied in the whole run.
/// </summary>
/// <param name="History">One entry per completed epoch, oldest first.</param>
/// <param name="Test">Loss and accuracy on the test set, or null when none was given.</param>
/// <param name="StopReason">Why the run stopped early, or null.</param>
/// <param name="Iterations">Optimizer updates applied in the whole run (a resumed run counts from its start).</param>
public sealed record TrainingResult(IReadOnlyList<EpochLogs> History, BatchResult? Test, string? StopReason, long Iterations)
{
    /// <summary>Epochs that ran to the end and were logged.</summary>
    public int EpochsCompleted => History.Count;
}
