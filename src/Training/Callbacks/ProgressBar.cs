using System.Diagnostics;
using System.Globalization;

namespace NetNumerics.Training.Callbacks;

/// <summary>
/// Keras-style progress: on a terminal (<paramref name="interactive"/>, i.e. Console.IsOutputRedirected is false)
/// one carriage-return bar per epoch with running loss, accuracy and ETA, redrawn at most every 100 ms, then
/// the epoch's summary line; when output is redirected only the summary line per epoch.
/// </summary>
public sealed class ProgressBar(TextWriter writer, bool interactive) : Callback
{
    const int Width = 30;
    readonly TextWriter _w = writer ?? throw new ArgumentNullException(nameof(writer));
    readonly Stopwatch _epoch = new();
    long _lastDraw = long.MinValue;
    int _firstBatch = -1;

    /// <summary>Writes to Console.Out, as a bar when it is a terminal.</summary>
    public ProgressBar() : this(Console.Out, !Console.IsOutputRedirected) { }

    static string I(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        _epoch.Restart();
        _firstBatch = -1;
        _lastDraw = long.MinValue;
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, BatchLogs batch)
    {
        if (!_epoch.IsRunning) _epoch.Restart();   // resumed mid-epoch: OnEpochBegin was not called
        if (_firstBatch < 0) _firstBatch = batch.Batch;
        if (!interactive) return;
        long now = _epoch.ElapsedMilliseconds;
        bool last = batch.Batch + 1 == batch.Batches;
        if (!last && now - _lastDraw < 100) return;
        _lastDraw = now;
        int done = batch.Batch + 1;
        double perBatch = _epoch.Elapsed.TotalSeconds / Math.Max(1, done - _firstBatch);
        double eta = perBatch * (batch.Batches - done);
        int filled = (int)((long)Width * done / batch.Batches);
        string bar = new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? (done == batch.Batches ? "=" : ">") : "") + new string('.', Width - filled);
        _w.Write($"\rEpoch {batch.Epoch + 1}/{context.Options.Epochs} {done}/{batch.Batches} [{bar}] - ETA: {I(eta, "F0")}s - loss: {I(batch.Loss, "F4")} - accuracy: {I(batch.Accuracy, "F4")}");
        _w.Flush();
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochLogs logs)
    {
        if (interactive) _w.Write('\r');
        _w.WriteLine(interactive ? Line(logs, context.Options.Epochs) + new string(' ', 8) : Line(logs, context.Options.Epochs));
        _w.Flush();
        _epoch.Reset();
    }

    /// <summary>"Epoch 3/25 - 12.3s - loss: 0.1234 - accuracy: 0.9612 - val_loss: ... - val_accuracy: ... - lr: 0.001".</summary>
    public static string Line(EpochLogs l, int epochs)
    {
        var s = $"Epoch {l.Epoch + 1}/{epochs} - {I(l.Seconds, "F1")}s - loss: {I(l.Loss, "F4")} - accuracy: {I(l.Accuracy, "F4")}";
        if (l.ValLoss is { } vl) s += $" - val_loss: {I(vl, "F4")}";
        if (l.ValAccuracy is { } va) s += $" - val_accuracy: {I(va, "F4")}";
        return s + $" - lr: {I(l.LearningRate, "G4")}";
    }
}
