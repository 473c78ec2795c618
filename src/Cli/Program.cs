// Entry point of the command-line program; commands are added by the issues that need them.
return NetNumerics.Cli.Entry.Run(args);

namespace NetNumerics.Cli
{
    static class Entry
    {
        public static int Run(string[] args)
        {
            Console.Error.WriteLine("numerics: no commands yet");
            return 2;
        }
    }
}
