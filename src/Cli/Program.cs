// Entry point of the command-line program (`numerics`); see Entry.cs for the commands.
return NetNumerics.Cli.Entry.Run(args);
