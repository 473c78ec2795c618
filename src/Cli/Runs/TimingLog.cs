using System.Globalization;
using System.Text;
using NetNumerics.Training;
using NetNumerics.Training.Checkpoints;

namespace NetNumerics.Cli.Runs;

/// <summary>
/// timing.csv (epoch, seconds): the wall-clock time of every epoch, the one thing two identical runs do not share, kept
/// out of last.ckpt, history.csv and history.json so those are byte-identical across identical runs. Rewritten
/// atomically after each epoch; a resumed run keeps the rows of the epochs before it.
/// </summary>
sealed class TimingLog : Callback
{
    public const string FileName = "timing.csv";
    readonly string _path;
    readonly List<(int Epoch, double Seconds)> _rows = [];

    public TimingLog(string dir, int firstEpoch)
    {
        _path = Path.Combine(dir, FileName);
        if (!File.Exists(_path)) return;
        foreach (var line in File.ReadLines(_path).Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length == 2 && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out int e) && e < firstEpoch
                && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
                _rows.Add((e, s));
        }
    }

    /// <summary>Seconds of the epochs run by this process (not those of a run resumed from).</summary>
    public List<double> ThisRun { get; } = [];

    public override void OnEpochCommitted(TrainingContext context, EpochLogs logs)
    {
        _rows.RemoveAll(r => r.Epoch >= logs.Epoch);
        _rows.Add((logs.Epoch, logs.Seconds));
        ThisRun.Add(logs.Seconds);
        var sb = new StringBuilder("epoch,seconds\n");
        foreach (var (e, s) in _rows) sb.Append(e.ToString(CultureInfo.InvariantCulture)).Append(',').Append(s.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteText(_path, sb.ToString());
    }
}
