using NetNumerics.Training.Checkpoints;
using System.Globalization;
using System.Text;

namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Keras CSVLogger: one row per epoch (epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, seconds;
/// epoch 0-based as Keras). The whole file is rewritten atomically from the history at every epoch, after that epoch's
/// checkpoints are written (<see cref="Callback.OnEpochCommitted"/>), so it always matches the run, including a run
/// resumed from a checkpoint, and never shows an epoch the checkpoint does not have. Absent validation values are empty
/// cells. With <paramref name="includeSeconds"/> false the seconds column is left out (<see cref="HeaderWithoutSeconds"/>):
/// the file is then the same bytes for two identical runs.
/// </summary>
public sealed class CsvLogger(string path, bool includeSeconds = true) : Callback
{
    /// <summary>The first line of the file (Keras' column names, plus the epoch's seconds).</summary>
    public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds";
    /// <summary>The header without the wall-clock column.</summary>
    public const string HeaderWithoutSeconds = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate";

    /// <summary>The file written.</summary>
    public string Path { get; } = string.IsNullOrEmpty(path) ? throw new ArgumentException("path must not be empty.", nameof(path)) : path;

    /// <summary>Whether the seconds column is written.</summary>
    public bool IncludeSeconds { get; } = includeSeconds;

    /// <summary>Rewrites the whole file from the history, atomically, once the epoch's checkpoints are on disk.</summary>
    /// <param name="context">The run (its history is written).</param>
    /// <param name="logs">The epoch just ended (already in the history).</param>
    public override void OnEpochCommitted(TrainingContext context, EpochLogs logs) =>
        AtomicFile.WriteText(Path, Format(context.History, IncludeSeconds));

    /// <summary>The CSV text for <paramref name="history"/>: <see cref="Header"/>, then one row per epoch with round-trip ("R") invariant-culture numbers, "\n" line ends.</summary>
    /// <param name="history">The epochs, in order.</param>
    public static string Format(IEnumerable<EpochLogs> history) => Format(history, includeSeconds: true);

    /// <summary>The CSV text for <paramref name="history"/>, with or without the seconds column (<see cref="HeaderWithoutSeconds"/>).</summary>
    /// <param name="history">The epochs, in order.</param>
    /// <param name="includeSeconds">Whether to write the wall-clock column.</param>
    public static string Format(IEnumerable<EpochLogs> history, bool includeSeconds)
    {
        static string F(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        var sb = new StringBuilder(includeSeconds ? Header : HeaderWithoutSeconds).Append('\n');
        foreach (var h in history)
        {
            sb.Append(h.Epoch).Append(',').Append(F(h.Loss)).Append(',').Append(F(h.Accuracy)).Append(',')
              .Append(F(h.ValLoss)).Append(',').Append(F(h.ValAccuracy)).Append(',').Append(F(h.LearningRate));
            if (includeSeconds) sb.Append(',').Append(F(h.Seconds));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
