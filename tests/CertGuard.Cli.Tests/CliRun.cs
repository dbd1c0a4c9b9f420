namespace CertGuard.Cli.Tests;

/// <summary>The outcome of one run of the tool through its real entry point, with both streams captured.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // On the thread pool, so a run that blocks synchronously (a pipe opened for reading) fails the test rather than hanging it.
        var exitCode = await Task.Run(() => CliApplication.RunAsync(args, stdout, stderr)).WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs in a working directory (relative targets and paths), restoring it afterwards.</summary>
    public static async Task<CliRun> RunInAsync(string directory, params string[] args)
    {
        await WorkingDirectory.WaitAsync();
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = directory;
            return await RunAsync(args);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            WorkingDirectory.Release();
        }
    }

    private static readonly SemaphoreSlim WorkingDirectory = new(1, 1);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}
