namespace NetNumerics.Properties.Training;

/// <summary>
/// The xunit collection of tests that train the real CNN: they run one after another (not in parallel with each other),
/// since each already keeps both cores busy and running them together only makes each slower.
/// </summary>
static class CnnTraining
{
    public const string Collection = "CNN training (serial)";
}
