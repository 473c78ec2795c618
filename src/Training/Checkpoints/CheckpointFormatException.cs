namespace NetNumerics.Training.Checkpoints;

/// <summary>A checkpoint file that cannot be read (an IOException): truncated, corrupt, from a newer version, or not a checkpoint at all. The message names the file and what is wrong.</summary>
public sealed class CheckpointFormatException(string message) : IOException(message);
