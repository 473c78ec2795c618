using NetNumerics.Training.Checkpoints;
using System.Globalization;
using System.Text;

namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Keras CSVLogger: one row per epoch (epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, seconds;
/// epoch 0-based as Keras). The whole file is rewritten atomically from the history at every epoch end, so it
/// always matches the run, including a run resumed from a checkpoint. Absent validation values are empty cells.
/// </summary>
public sealed class CsvLogger(string path) : Callback
{
    /// <summary>The first line of the file (Keras' column names, plus the epoch's seconds).</summary>
    public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds";

    /// <summary>The file written.</summary>
    public string Path { get; } = string.IsNullOrEmpty(path) ? throw new ArgumentException("path must not be empty.", nameof(path)) : path;

    /// <summary>Rewrites the whole file from the history, atomically.</summary>
    /// <param name="context">The run (its history is written).</param>
    /// <param name="logs">The epoch just ended (already in the history).</param>
    public override void OnEpochEnd(TrainingContext context, EpochLogs logs) => AtomicFile.WriteText(Path, Format(context.History));

    /// <summary>The CSV text for <paramref name="history"/>: <see cref="Header"/>, then one row per epoch with round-trip ("R") invariant-culture numbers, "\n" line ends.</summary>
    /// <param name="history">The epochs, in order.</param>
    public static string Format(IEnumerable<EpochLogs> history)
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var h in history)
            sb.Append(h.Epoch).Append(',').Append(F(h.Loss)).Append(',').Append(F(h.Accuracy)).Append(',')
              .Append(F(h.ValLoss)).Append(',').Append(F(h.ValAccuracy)).Append(',').Append(F(h.LearningRate)).Append(',')
              .Append(F(h.Seconds)).Append('\n');
        return sb.ToString();
    }
}
