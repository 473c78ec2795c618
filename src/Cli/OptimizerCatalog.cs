using NetNumerics.Fast.Optimizers;
using NetNumerics.Optimizers;

namespace NetNumerics.Cli;

/// <summary>The --optimizer names and the option records they stand for (Keras defaults; Fast path).</summary>
public static class OptimizerCatalog
{
    static readonly (string Name, Func<IOptimizerOptions> Options)[] Entries =
    [
        ("sgd", () => new SgdOptions()),
        ("sgd-momentum", () => new SgdOptions { Momentum = 0.9 }),
        ("sgd-nesterov", () => new SgdOptions { Momentum = 0.9, Nesterov = true }),
        ("adagrad", () => new AdagradOptions()),
        ("adadelta", () => new AdadeltaOptions()),
        ("rmsprop", () => new RmspropOptions()),
        ("rmsprop-centered", () => new RmspropOptions { Centered = true }),
        ("adam", () => new AdamOptions()),
        ("amsgrad", () => new AdamOptions { Amsgrad = true }),
        ("adamw", () => new AdamWOptions()),
        ("adamax", () => new AdamaxOptions()),
        ("nadam", () => new NadamOptions()),
        ("radam", () => new RadamOptions()),
        ("lion", () => new LionOptions()),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>The Fast optimizer for a catalog name; an ArgumentException listing the names otherwise.</summary>
    public static IOptimizer Create(string name)
    {
        foreach (var (n, options) in Entries)
            if (n == name)
            {
                var o = options();
                o.Validate();
                return FastOptimizers.For(o);
            }
        throw new ArgumentException($"unknown optimizer '{name}'; choose one of {string.Join(", ", Names)}.", nameof(name));
    }
}
