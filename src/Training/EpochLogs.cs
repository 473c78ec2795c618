using NetNumerics.Nn;
namespace NetNumerics.Training;

/// <summary>
/// What one epoch produced: the running mean of the training loss and accuracy over its batches
/// (sample-weighted, as Keras reports them), validation loss and accuracy (null when there is no
/// validation set), the learning rate of the epoch's last step and the wall-clock seconds it took.
/// Epoch is 0-based.
/// </summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Loss">Sample-weighted mean training loss over the epoch's batches (Keras "loss").</param>
/// <param name="Accuracy">Training accuracy over the epoch's batches (Keras "accuracy").</param>
/// <param name="ValLoss">Validation loss, or null without a validation split ("val_loss").</param>
/// <param name="ValAccuracy">Validation accuracy, or null ("val_accuracy").</param>
/// <param name="LearningRate">Learning rate of the epoch's last update ("learning_rate").</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, validation included.</param>
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
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Batch">0-based batch within the epoch.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Iteration">0-based global step of this batch's update.</param>
/// <param name="Result">This batch's own loss sum and correct count.</param>
/// <param name="Running">Sums over the epoch's batches so far, this one included.</param>
/// <param name="LearningRate">The learning rate of this batch's update.</param>
public readonly record struct BatchLogs(int Epoch, int Batch, int Batches, long Iteration,
    BatchResult Result, BatchResult Running, double LearningRate)
{
    /// <summary>Mean training loss of the epoch's batches so far (what a progress bar shows).</summary>
    public double Loss => Running.MeanLoss;
    /// <summary>Training accuracy of the epoch's batches so far.</summary>
    public double Accuracy => Running.Accuracy;
}
