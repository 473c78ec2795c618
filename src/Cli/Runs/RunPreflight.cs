using NetNumerics.Data;
using NetNumerics.Fast.Schedules;
using NetNumerics.Schedules;
using NetNumerics.Training.Checkpoints;
using System.Globalization;

namespace NetNumerics.Cli.Runs;

/// <summary>
/// What `train` checks once the data is loaded and before the output folder is made, so a run that cannot work fails
/// in one line with nothing written: enough samples on both sides of the validation split and a test set, a schedule
/// whose learning rate stays finite and >= 0 over every step of the run, and, for --resume, a checkpoint that fits the
/// settings it carries and still has epochs to run.
/// </summary>
static class RunPreflight
{
    /// <summary>The schedule check covers at most this many steps (10^7 closed-form values, well under a second); later steps are checked as the run reaches them.</summary>
    public const long MaxCheckedScheduleSteps = 10_000_000;

    static string S(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Training samples left after the split (the trainer's floor(n * (1 - split))); throws when none is left or the test set is empty.</summary>
    public static int CheckSamples(Dataset train, Dataset test, double split, int? trainLimit, string dataDir)
    {
        int n = train.Count;
        int nTrain = (int)Math.Floor(n * (1.0 - split));
        string source = trainLimit is { } tl ? $"--train-limit {tl} gives {n} training sample{(n == 1 ? "" : "s")}" : $"--data {dataDir} holds {n} training sample{(n == 1 ? "" : "s")}";
        if (nTrain < 1)
            throw new UsageException($"{source}; after holding out --validation-split {S(split)} none is left to train on (at least 1 is needed).");
        if (split > 0 && nTrain == n)
            throw new UsageException($"--validation-split {S(split)} of {n} samples holds out none; give a larger split, or 0 for no validation.");
        if (test.Count == 0)
            throw new UsageException($"--data {dataDir}: the test set holds 0 samples; the run ends by measuring test accuracy, which needs at least 1.");
        return nTrain;
    }

    /// <summary>
    /// Throws when the schedule's learning rate is NaN, infinite or negative at a step the run will use: epochs
    /// 0..epochs-1 (per epoch) or iterations 0..epochs*batches-1 (per iteration), the first <see cref="MaxCheckedScheduleSteps"/>.
    /// </summary>
    public static void CheckSchedule(ISchedule schedule, string text, bool perIteration, int epochs, int batches)
    {
        long steps = perIteration ? (long)epochs * batches : epochs;
        long checkedSteps = Math.Min(steps, MaxCheckedScheduleSteps);
        var fast = FastSchedule.From(schedule);
        var block = new double[(int)Math.Min(checkedSteps, 1 << 16)];
        for (long first = 0; first < checkedSteps; first += block.Length)
        {
            var span = block.AsSpan(0, (int)Math.Min(block.Length, checkedSteps - first));
            try { fast.Fill(first, span); }
            catch (ArgumentException e)
            {
                throw new UsageException($"--schedule '{Commands.CommandKit.Shorten(text)}' cannot be evaluated at {(perIteration ? "iteration" : "epoch")} {first} or after: {Commands.CommandKit.Reason(e)}");
            }
            for (int i = 0; i < span.Length; i++)
                if (!double.IsFinite(span[i]) || span[i] < 0)
                    throw new UsageException(
                        $"--schedule '{Commands.CommandKit.Shorten(text)}' gives learning rate {S(span[i])} at {(perIteration ? "iteration" : "epoch")} {first + i} of the run's {steps} " +
                        $"{(perIteration ? "iterations (--schedule-per-iteration)" : "epochs")}; a learning rate must be finite and >= 0 at every step.");
        }
    }

    /// <summary>
    /// Throws when a resumed run has nothing left to do (finished, or stopped early) or --epochs would not extend it,
    /// or when the checkpoint's position disagrees with the settings it carries.
    /// </summary>
    public static void CheckResumable(TrainingCheckpoint c, TrainSettings saved, int? epochsGiven, string dir)
    {
        if (c.BatchSize != saved.BatchSize || c.Seed != saved.Seed || c.ValidationSplit != saved.ValidationSplit)
            throw new UsageException($"--resume {dir}: last.ckpt is inconsistent: its run (batch {c.BatchSize}, seed {c.Seed}, split {S(c.ValidationSplit)}) differs from its settings (batch {saved.BatchSize}, seed {saved.Seed}, split {S(saved.ValidationSplit)}).");
        if (c.Epoch > saved.Epochs || (c.Epoch == saved.Epochs && c.Batch > 0))
            throw new UsageException($"--resume {dir}: last.ckpt is inconsistent: it is at epoch {c.Epoch}, batch {c.Batch}, but its run was for {saved.Epochs} epochs.");
        if (c.Stopped)
            throw new UsageException($"--resume {dir}: that run stopped early after epoch {c.Epoch} ({c.StopReason ?? "a callback stopped it"}); there is nothing left to resume.");
        if (epochsGiven is { } e && e <= c.Epoch)
            throw new UsageException($"--epochs {e}: the run in {dir} has already completed {c.Epoch} epoch{(c.Epoch == 1 ? "" : "s")}; give --epochs more than {c.Epoch} to train further.");
        if (epochsGiven is null && c.Epoch >= saved.Epochs)
            throw new UsageException($"--resume {dir}: that run finished all {saved.Epochs} of its epochs; give --epochs N (more than {saved.Epochs}) to train further.");
    }
}
