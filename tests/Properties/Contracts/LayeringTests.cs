using System.Reflection;
using System.Text.RegularExpressions;
using NetNumerics.Properties.Packaging;
using Xunit;

namespace NetNumerics.Properties.Contracts;

/// <summary>
/// The layout rules of the repository (see docs and design notes), checked rather than remembered:
/// which assembly may reference which, namespace = assembly + folder, and twins that share a file name.
/// </summary>
public partial class LayeringTests
{
    static readonly Assembly Core = typeof(NetNumerics.Optimizers.IOptimizer).Assembly;
    static readonly Assembly Reference = typeof(NetNumerics.Reference.Optimizers.Adam).Assembly;
    static readonly Assembly Fast = typeof(NetNumerics.Fast.Optimizers.FastAdam).Assembly;
    static readonly Assembly Training = typeof(NetNumerics.Training.Trainer).Assembly;
    static readonly Assembly Data = typeof(NetNumerics.Data.IdxReader).Assembly;
    static readonly Assembly Testing = typeof(NetNumerics.Testing.KernelCheck).Assembly;
    static readonly Assembly FSharp = typeof(NetNumerics.FSharp.State<float>).Assembly;

    /// <summary>Every assembly referenced that is not part of .NET itself (System.*, Microsoft.*, netstandard, mscorlib).</summary>
    static string[] NonFrameworkReferences(Assembly a) =>
        a.GetReferencedAssemblies().Select(r => r.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal) && n is not ("netstandard" or "mscorlib"))
            .Order(StringComparer.Ordinal).ToArray();

    static string[] OurReferences(Assembly a) =>
        a.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n == "NetNumerics" || n.StartsWith("NetNumerics.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Assemblies_reference_only_what_their_role_allows()
    {
        Assert.Equal("NetNumerics", Core.GetName().Name);
        Assert.Empty(OurReferences(Core));
        Assert.Equal(["NetNumerics"], OurReferences(Reference));                               // formulas over the contracts only
        Assert.Equal(["NetNumerics", "NetNumerics.Reference"], OurReferences(Fast));          // twins share the Reference's per-step scalars
        Assert.Equal(["NetNumerics"], OurReferences(Training));                                // path-neutral: never Fast (nor Reference)
        Assert.Equal(["NetNumerics"], OurReferences(Data));
        // The verification kit: the contracts (IOptimizer, OptimizerState, SimdWidth) and FsCheck, nothing else, so a user
        // checking their own kernels does not pull in our Reference or Fast path (they reference Reference themselves to
        // check against it).
        Assert.Equal(["FsCheck", "NetNumerics"], NonFrameworkReferences(Testing));
        // The F# facade: the contracts and option records (core), the Fast optimizers and schedules it runs by default, and the
        // Reference records it wraps (Adam.reference, the schedule constructors); never Training, Data or the kit.
        Assert.Equal(["NetNumerics", "NetNumerics.Fast", "NetNumerics.Reference"], OurReferences(FSharp));
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), r => r.Name!.StartsWith("System.Numerics.Tensors", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    static readonly (string Folder, string Root)[] Roots =
    [
        ("Core", "NetNumerics"), ("Reference", "NetNumerics.Reference"), ("Fast", "NetNumerics.Fast"),
        ("Training", "NetNumerics.Training"), ("Data", "NetNumerics.Data"), ("Testing", "NetNumerics.Testing"), ("Cli", "NetNumerics.Cli"),
    ];

    static IEnumerable<string> SourceFiles(string folder)
    {
        string dir = Path.Combine(RepositoryPaths.Root, "src", folder);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
    }

    [Fact]
    public void Namespace_is_assembly_plus_folder_in_every_source_file()
    {
        var wrong = new List<string>();
        foreach (var (folder, root) in Roots)
            foreach (string file in SourceFiles(folder))
            {
                string rel = Path.GetRelativePath(Path.Combine(RepositoryPaths.Root, "src", folder), Path.GetDirectoryName(file)!);
                string expected = rel == "." ? root : root + "." + rel.Replace(Path.DirectorySeparatorChar, '.');
                var m = NamespaceLine().Match(File.ReadAllText(file));
                if (!m.Success)
                {
                    if (Path.GetFileName(file) is not ("Program.cs" or "FriendAssemblies.cs")) wrong.Add($"{file}: no file-scoped namespace");
                }
                else if (m.Groups[1].Value != expected) wrong.Add($"{file}: namespace {m.Groups[1].Value}, expected {expected}");
            }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_FSharp_source_file_is_in_the_NetNumerics_FSharp_namespace()
    {
        string dir = Path.Combine(RepositoryPaths.Root, "src", "FSharp");
        string[] files = Directory.GetFiles(dir, "*.fs", SearchOption.TopDirectoryOnly);
        Assert.NotEmpty(files);
        foreach (string file in files)
            Assert.True(File.ReadLines(file).First() == "namespace NetNumerics.FSharp", $"{file}: its first line is not 'namespace NetNumerics.FSharp'");
        Assert.DoesNotContain(Directory.GetDirectories(dir), d => Path.GetFileName(d) is not ("bin" or "obj"));   // one folder, one namespace
    }

    /// <summary>Fast files without a Reference file of the same relative path, each with the reason.</summary>
    static readonly Dictionary<string, string> FastWithoutTwin = new()
    {
        ["Nn/ModelOptions.cs"] = "threading and batch capacity of the Fast model: nothing to specify",
        ["Nn/LayerRunner.cs"] = "runs one Fast layer in isolation for the layer properties",
        ["Nn/StepProfile.cs"] = "per-layer timing of the Fast step for benchmarks: nothing to specify",
        ["Nn/ReductionTree.cs"] = "the order in which the Fast model sums chunk gradients over threads and ranks; the Reference sums samples in order",
        ["Nn/ModelRanks.cs"] = "the Fast model's exchange between the ranks of a data-parallel job: no formula",
        ["Nn/Layers/ConvReluPool.cs"] = "Conv2D, ReLU and MaxPool2D fused; proved bitwise equal to those three Fast layers, each a twin",
        ["Nn/Layers/Winograd3x3.cs"] = "the Winograd algorithm of Fast Conv2D (whose twin is Reference Conv2D), proved within its derived bound of it",
    };

    [Fact]
    public void Fast_optimizers_and_layers_are_twins_of_reference_files_with_the_same_path()
    {
        string fast = Path.Combine(RepositoryPaths.Root, "src", "Fast"), reference = Path.Combine(RepositoryPaths.Root, "src", "Reference");
        var missing = new List<string>();
        foreach (string area in new[] { "Optimizers", "Nn" })
            foreach (string file in Directory.GetFiles(Path.Combine(fast, area), "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(fast, file).Replace(Path.DirectorySeparatorChar, '/');
                if (!File.Exists(Path.Combine(reference, rel)) && !FastWithoutTwin.ContainsKey(rel)) missing.Add(rel);
            }
        Assert.True(missing.Count == 0, "Fast files with no Reference twin: " + string.Join(", ", missing));
        foreach (string rel in FastWithoutTwin.Keys) Assert.True(File.Exists(Path.Combine(fast, rel)), $"stale exception {rel}");
    }

    /// <summary>Fast schedule types whose Reference record has another name.</summary>
    static readonly Dictionary<string, string> ScheduleTwinNames = new()
    {
        ["FastConstant"] = "ConstantLearningRate",
        ["FastChainedExponentialLR"] = "ExponentialLR",        // torch's chainable form of the same record (its Chain method)
        ["FastChainedCosineAnnealing"] = "CosineAnnealing",
    };

    [Fact]
    public void Every_fast_optimizer_and_schedule_type_names_its_reference_twin()
    {
        var missing = new List<string>();
        foreach (var t in Fast.GetTypes().Where(t => t.Name.StartsWith("Fast", StringComparison.Ordinal) && !t.IsAbstract && !t.IsNested))
        {
            if (t.Namespace is not ("NetNumerics.Fast.Optimizers" or "NetNumerics.Fast.Schedules") || t.Name is "FastSchedule" or "FastOptimizers" or "FastAnySchedule") continue;
            string twin = ScheduleTwinNames.GetValueOrDefault(t.Name, t.Name["Fast".Length..]);
            if (t.Name == "FastClipping") twin = "ReferenceClipping";
            string ns = t.Namespace!.Replace("NetNumerics.Fast.", "NetNumerics.Reference.");
            if (Reference.GetType($"{ns}.{twin}") is null) missing.Add($"{t.FullName} -> {ns}.{twin}");
        }
        Assert.True(missing.Count == 0, "no Reference twin: " + string.Join(", ", missing));
    }
}
