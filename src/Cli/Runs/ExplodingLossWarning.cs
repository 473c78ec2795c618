using System.Globalization;
using NetNumerics.Training;

namespace NetNumerics.Cli.Runs;

/// <summary>
/// A loss that explodes but stays finite (Adam at --lr 1e6 reaches 6e28) is not a NaN, so TerminateOnNaN lets it be;
/// this warns once, on stderr, when an epoch's training loss exceeds <see cref="Factor"/> x ln(classes), the
/// cross-entropy of a model that predicts every class with the same probability.
/// </summary>
sealed class ExplodingLossWarning(TextWriter error, int classes, double learningRate) : Callback
{
    /// <summary>How far above an untrained model's loss counts as exploded (ln 10 = 2.30, so 230 for 10 classes).</summary>
    public const double Factor = 100;
    bool _warned;

    public override void OnEpochCommitted(TrainingContext context, EpochLogs logs)
    {
        double chance = Math.Log(Math.Max(2, classes));
        if (_warned || context.StopTraining || !double.IsFinite(logs.Loss) || logs.Loss <= Factor * chance) return;   // a stopping run says why itself
        _warned = true;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"numerics train: warning: the training loss of epoch {logs.Epoch + 1} is {logs.Loss:G3}, over {Factor:G}x the {chance:F2} of an untrained model (ln {classes} classes): the run is diverging; the learning rate ({learningRate:G3}) is probably too high."));
    }
}
