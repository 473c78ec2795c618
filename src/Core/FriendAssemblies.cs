using System.Runtime.CompilerServices;

// The packages of one NetNumerics release share the core's internal helpers (guards, aligned buffers, the text
// grammar's tokenizer); they always ship and version together.
[assembly: InternalsVisibleTo("NetNumerics.Reference")]
[assembly: InternalsVisibleTo("NetNumerics.Fast")]
[assembly: InternalsVisibleTo("NetNumerics.Training")]
[assembly: InternalsVisibleTo("NetNumerics.Data")]
[assembly: InternalsVisibleTo("NetNumerics.Testing")]
[assembly: InternalsVisibleTo("numerics")]
[assembly: InternalsVisibleTo("NetNumerics.Properties")]
[assembly: InternalsVisibleTo("NetNumerics.Bench")]
