using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;

namespace NetNumerics.Cli;

/// <summary>
/// The --optimizer text as the commands read it: <see cref="OptimizerParser"/>'s grammar (NAME[:key=value,...]),
/// a malformed string a one-line <see cref="UsageException"/>; <see cref="Create"/> builds the Fast optimizer.
/// </summary>
public static class OptimizerCatalog
{
    /// <summary>The optimizer names understood.</summary>
    public static IReadOnlyList<string> Names => OptimizerParser.Names;

    /// <summary>What --optimizer accepts, for --help.</summary>
    public static string Help =>
        $"NAME[:key=value,...], NAME one of {string.Join(", ", Names)}; e.g. adam:beta2=0.99,eps=1e-8, sgd:momentum=0.8,decay=0.004 (Keras 2 per-iteration decay), " +
        "adadelta:preset=keras2 (presets keras | keras2 | pytorch); a wrong key lists the keys the optimizer takes.";

    /// <summary>The Fast optimizer for a text form; an ArgumentException naming what is wrong otherwise.</summary>
    public static IOptimizer Create(string text) => FastOptimizers.For(OptimizerParser.Parse(text).Options);

    /// <summary>Parses <paramref name="text"/>; a malformed one is a UsageException "WHERE: what is wrong".</summary>
    internal static OptimizerSpec Parse(string text, string where)
    {
        try { return OptimizerParser.Parse(text); }
        catch (ArgumentException e) { throw new UsageException($"{where}: {Commands.CommandKit.Message(e)}"); }
    }
}
