using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("NetNumerics.Fast")]
[assembly: InternalsVisibleTo("numerics")]
[assembly: InternalsVisibleTo("NetNumerics.Properties")]
[assembly: InternalsVisibleTo("NetNumerics.Bench")]
