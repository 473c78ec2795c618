// Counts the public (exported) types of the library assemblies, built in Release:
//   dotnet build Numerics.sln -c Release && dotnet run scripts/public-types.cs [--list]
// Prints one line per assembly and the total; --list also names every type.
#:property PublishAot=false
using System.Reflection;

string[] assemblies =
[
    "src/Core/bin/Release/net10.0/NetNumerics.dll",
    "src/Reference/bin/Release/net10.0/NetNumerics.Reference.dll",
    "src/Fast/bin/Release/net10.0/NetNumerics.Fast.dll",
    "src/Training/bin/Release/net10.0/NetNumerics.Training.dll",
    "src/Data/bin/Release/net10.0/NetNumerics.Data.dll",
];
bool list = args.Contains("--list");
int total = 0;
foreach (string path in assemblies)
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{path} does not exist: run 'dotnet build Numerics.sln -c Release' from the repository root first.");
        return 1;
    }
    var types = Assembly.LoadFrom(path).GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
    Console.WriteLine($"{Path.GetFileNameWithoutExtension(path)}: {types.Length}");
    if (list) foreach (string t in types) Console.WriteLine("  " + t);
    total += types.Length;
}
Console.WriteLine($"total: {total}");
return 0;
