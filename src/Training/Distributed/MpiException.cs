namespace NetNumerics.Training.Distributed;

/// <summary>An MPI call failed, the MPI library cannot be loaded, or the ranks of a job disagree; the message says which and what to do.</summary>
public sealed class MpiException : Exception
{
    /// <summary>An MPI failure described by <paramref name="message"/>.</summary>
    /// <param name="message">One line: the call or check, the rank, and the reason.</param>
    public MpiException(string message) : base(message) { }
}
