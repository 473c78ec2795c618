using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// What one epoch produced: the running mean of the training loss and accuracy over its batches
/// (sample-weighted, as Keras reports them), validation loss and accuracy (null when there is no
/// validation set), the learning rate of the epoch's last step and the wall-clock seconds it took.
/// Epoch is 0-based.
/// </summary>
public sealed record EpochLogs(int Epoch, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy,
    double LearningRate, double Seconds)
{
    /// <summary>Names a monitor can use, as in Keras logs.</summary>
    public static readonly IReadOnlyList<string> MetricNames =
        ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"];

    /// <summary>The value of a Keras-style metric name ("loss", "val_accuracy", "acc", ...), or null when absent.</summary>
    public double? Get(string metric) => metric switch
    {
        "loss" => Loss,
        "accuracy" or "acc" => Accuracy,
        "val_loss" => ValLoss,
        "val_accuracy" or "val_acc" => ValAccuracy,
        "learning_rate" or "lr" => LearningRate,
        _ => throw new ArgumentException(
            $"metric is '{metric}', but only {string.Join(", ", MetricNames)} are logged.", nameof(metric)),
    };
}

/// <summary>
/// One mini-batch: its position (0-based epoch and batch, global iteration), its own result, the running
/// sum over the epoch so far, and the learning rate used for its update.
/// </summary>
public readonly record struct BatchLogs(int Epoch, int Batch, int Batches, long Iteration,
    BatchResult Result, BatchResult Running, double LearningRate)
{
    public double Loss => Running.MeanLoss;
    public double Accuracy => Running.Accuracy;
}
