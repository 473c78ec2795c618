namespace NetNumerics.Data;

/// <summary>A training set and its held-out test set, as a dataset folder ships them.</summary>
/// <param name="Train">The training set (a trainer takes its validation split from the end of it).</param>
/// <param name="Test">The held-out test set.</param>
public sealed record TrainTest(Dataset Train, Dataset Test);
