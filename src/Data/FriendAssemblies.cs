using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("numerics")]
[assembly: InternalsVisibleTo("NetNumerics.Properties")]
[assembly: InternalsVisibleTo("NetNumerics.Bench")]
