namespace NetNumerics.Training.Callbacks;

/// <summary>Whether a monitored metric should go down (Min), up (Max), or be guessed from its name (Auto).</summary>
public enum MonitorMode
{
    /// <summary>From the metric's name, as Keras: names containing "acc" are maximised, losses and the learning rate minimised.</summary>
    Auto = 0,
    /// <summary>Lower is better.</summary>
    Min = 1,
    /// <summary>Higher is better.</summary>
    Max = 2,
}

static class Monitor
{
    /// <summary>
    /// Resolves Auto as Keras does for its built-in metrics: names containing "acc" are maximised,
    /// losses (and the learning rate) minimised.
    /// </summary>
    public static bool Maximize(string monitor, MonitorMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (!EpochLogs.MetricNames.Contains(monitor) && monitor is not ("acc" or "val_acc" or "lr"))
            throw new ArgumentException(
                $"monitor is '{monitor}', but only {string.Join(", ", EpochLogs.MetricNames)} are logged.", nameof(monitor));
        return mode switch
        {
            MonitorMode.Min => false,
            MonitorMode.Max => true,
            MonitorMode.Auto => monitor.Contains("acc", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"mode must be Auto, Min or Max, but was {(int)mode}."),
        };
    }
}
