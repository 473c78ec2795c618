using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// What <see cref="Trainer.Fit"/> returns: the history (one <see cref="EpochLogs"/> per completed epoch, the
/// equivalent of Keras' History object), the test result if a test set was given, why the run stopped early
/// (null if it ran every epoch) and how many optimizer updates were applied in the whole run.
/// </summary>
public sealed record TrainingResult(IReadOnlyList<EpochLogs> History, BatchResult? Test, string? StopReason, long Iterations)
{
    public int EpochsCompleted => History.Count;
}
