namespace CertGuard.Cli;

/// <summary>The process entry point; everything else lives in <see cref="CliApplication"/>, where tests reach it.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApplication.RunAsync(args, CliConsole.System);
}
