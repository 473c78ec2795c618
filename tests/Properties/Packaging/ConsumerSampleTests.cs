using System.IO.Compression;
using Xunit;

namespace NetNumerics.Properties.Packaging;

/// <summary>
/// What a user of the packages sees: every project under src/ packs (README, LICENSE, XML docs, symbols), the
/// samples in samples/ build and pass against those packages alone (no project reference: samples/CSharp, samples/FSharp
/// with NetNumerics.FSharp, and samples/VerifyKernel with NetNumerics.Testing), and the CLI installs as a .NET tool.
/// The packages get a version of their own for this run, so nothing stale from an earlier run is reused.
/// </summary>
public class ConsumerSampleTests
{
    static readonly TimeSpan Minutes5 = TimeSpan.FromMinutes(5);
    static readonly string Root = RepositoryPaths.Root;
    static readonly string Feed = Path.Combine(Root, "artifacts", "packages");   // the folder samples/nuget.config names
    static readonly string Version = $"0.2.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    static readonly Lazy<string[]> Packed = new(Pack);

    /// <summary>Packs every src project (already built by the test command) into the feed at this run's version.</summary>
    static string[] Pack()
    {
        Directory.CreateDirectory(Feed);
        foreach (string project in RepositoryPaths.SourceProjects)
        {
            var (code, output) = RepositoryPaths.Run("dotnet",
                $"pack \"{project}\" -c Release --no-build --no-restore -o \"{Feed}\" -p:Version={Version}", Root, Minutes5);
            Assert.True(code == 0, $"dotnet pack {project} exited {code}:\n{output}");
        }
        return Directory.GetFiles(Feed, $"*.{Version}.nupkg");
    }

    [Fact]
    public void Every_package_carries_its_readme_license_xml_docs_and_symbols()
    {
        var packages = Packed.Value;
        Assert.Equal(RepositoryPaths.SourceProjects.Count, packages.Length);
        foreach (string nupkg in packages)
        {
            string id = Path.GetFileName(nupkg)[..^$".{Version}.nupkg".Length];
            using var zip = ZipFile.OpenRead(nupkg);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.True(names.Contains("README.md"), $"{id} has no README.md");
            Assert.True(names.Contains("LICENSE"), $"{id} has no LICENSE");
            Assert.True(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), $"{id} has no symbol package");
            string nuspec = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open()).ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
            Assert.Contains("<readme>README.md</readme>", nuspec);
            Assert.DoesNotContain("Package Description", nuspec);
            if (id == "numerics")
                Assert.Contains(names, n => n.StartsWith("tools/net10.0/any/", StringComparison.Ordinal) && n.EndsWith("numerics.dll", StringComparison.Ordinal));
            else
            {
                Assert.True(names.Contains($"lib/net10.0/{id}.dll"), $"{id} has no lib/net10.0/{id}.dll");
                Assert.True(names.Contains($"lib/net10.0/{id}.xml"), $"{id} has no XML documentation");
            }
        }
    }

    [Theory]
    [InlineData("CSharp")]
    [InlineData("FSharp")]
    [InlineData("VerifyKernel")]
    public void Sample_builds_against_the_packages_alone_and_passes(string sample)
    {
        _ = Packed.Value;
        string project = Path.Combine(Root, "samples", sample);
        Assert.DoesNotContain("ProjectReference", File.ReadAllText(Directory.GetFiles(project, "*.*proj").Single()));
        var (code, output) = RepositoryPaths.Run("dotnet", $"run -c Release -p:NetNumericsVersion={Version}", project, Minutes5);
        Assert.True(code == 0, $"samples/{sample} exited {code}:\n{output}");
        Assert.Contains("all checks passed", output);
        Assert.DoesNotContain("FAIL", output);
        if (sample == "VerifyKernel")   // the deliberately wrong kernel is caught, with the kit's message
            Assert.Contains("KernelCheck.sgd-momentum-keras: the kernel differs from the reference at width", output);
    }

    [Fact]
    public void The_cli_installs_as_a_dotnet_tool_and_runs()
    {
        _ = Packed.Value;
        string tools = Path.Combine(Path.GetTempPath(), $"numerics-tool-{Guid.NewGuid():N}");
        try
        {
            var (code, output) = RepositoryPaths.Run("dotnet",
                $"tool install numerics --tool-path \"{tools}\" --add-source \"{Feed}\" --version {Version}", Root, Minutes5);
            Assert.True(code == 0, $"dotnet tool install exited {code}:\n{output}");
            var (helpCode, help) = RepositoryPaths.Run(Path.Combine(tools, "numerics"), "--help", tools, Minutes5);
            Assert.True(helpCode == 0, $"numerics --help exited {helpCode}:\n{help}");
            foreach (string command in new[] { "train", "compare", "lr-find", "schedule" }) Assert.Contains(command, help);
        }
        finally
        {
            if (Directory.Exists(tools)) Directory.Delete(tools, recursive: true);
        }
    }
}
