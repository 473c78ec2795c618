namespace NetNumerics.Nn;

/// <summary>Argument checks shared by the Reference and Fast models.</summary>
internal static class ModelGuard
{
    /// <summary>Checks inputs holds labels.Length samples of inputLength floats and each label is a class; returns the batch size.</summary>
    public static int Batch(int inputsLength, ReadOnlySpan<int> labels, int inputLength, int classes)
    {
        int batch = labels.Length;
        if (batch == 0) throw new ArgumentException("labels is empty; a batch needs at least one sample.", nameof(labels));
        if ((long)batch * inputLength != inputsLength)
            throw new ArgumentException($"inputs has {inputsLength} floats, but {batch} labels of {inputLength} floats each need {(long)batch * inputLength}.", "inputs");
        for (int i = 0; i < batch; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"labels[{i}] is {labels[i]}, outside [0, {classes}).");
        return batch;
    }

    /// <summary>Checks inputs is a whole number of samples and probabilities has room for their Classes each; returns the batch size.</summary>
    public static int Predict(int inputsLength, int probabilitiesLength, int inputLength, int classes)
    {
        if (inputsLength % inputLength != 0)
            throw new ArgumentException($"inputs has {inputsLength} floats, not a multiple of the sample length {inputLength}.", "inputs");
        int batch = inputsLength / inputLength;
        if (probabilitiesLength != batch * classes)
            throw new ArgumentException($"probabilities has length {probabilitiesLength}, but {batch} samples of {classes} classes need {batch * classes}.", "probabilities");
        return batch;
    }
}
