namespace NetNumerics.Data;

/// <summary>A training set and its held-out test set, as a dataset folder ships them.</summary>
public sealed record TrainTest(Dataset Train, Dataset Test);
