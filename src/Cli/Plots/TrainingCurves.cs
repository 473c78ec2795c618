using NetNumerics.Training;

namespace NetNumerics.Cli.Plots;

/// <summary>
/// The curves of one training run, as the articles draw them: loss (training and validation), accuracy
/// (training and validation) and the learning rate per epoch, each as PNG and SVG in <c>dir</c>
/// (loss.png/.svg, accuracy.png/.svg, learning_rate.png/.svg).
/// </summary>
public static class TrainingCurves
{
    public static IReadOnlyList<string> Write(string dir, IReadOnlyList<EpochLogs> history, string title = "")
    {
        ArgumentNullException.ThrowIfNull(history);
        double[] epochs = history.Select(h => (double)(h.Epoch + 1)).ToArray();
        string Title(string what) => title.Length == 0 ? what : $"{what}: {title}";
        Series S(string label, Func<EpochLogs, double?> f) => new(label, epochs, history.Select(h => f(h) ?? double.NaN).ToArray());
        bool hasVal = history.Any(h => h.ValLoss is not null);
        var files = new List<string>();
        files.AddRange(LinePlot.Save(Path.Combine(dir, "loss"), Title("Loss per epoch"), "epoch", "cross-entropy loss",
            hasVal ? [S("training", h => h.Loss), S("validation", h => h.ValLoss)] : [S("training", h => h.Loss)], integerX: true));
        files.AddRange(LinePlot.Save(Path.Combine(dir, "accuracy"), Title("Accuracy per epoch"), "epoch", "accuracy",
            hasVal ? [S("training", h => h.Accuracy), S("validation", h => h.ValAccuracy)] : [S("training", h => h.Accuracy)],
            legend: ScottPlot.Alignment.LowerRight, integerX: true));
        files.AddRange(LinePlot.Save(Path.Combine(dir, "learning_rate"), Title("Learning rate per epoch"), "epoch", "learning rate",
            [S("learning rate (last step of the epoch)", h => h.LearningRate)], logY: LogWorthy(history.Select(h => h.LearningRate)), integerX: true));
        return files;
    }

    /// <summary>A log axis when every value is positive and they span at least a decade.</summary>
    static bool LogWorthy(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        return v.Length > 0 && v.All(x => x > 0) && v.Max() / v.Min() >= 10;
    }
}
