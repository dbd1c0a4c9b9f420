namespace CertGuard.Cli.Tests.Scanning;

public sealed class ScanProgressTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Progress_with_counts_goes_to_a_terminal_standard_error_only()
    {
        for (var i = 0; i < 5; i++)
        {
            TestCertificates.WritePem(_dir[$"c{i}.pem"], TestCertificates.Healthy());
        }

        var terminal = await RunAsync(errorIsTerminal: true, "--format", "json");
        var quiet = await RunAsync(errorIsTerminal: true, "--format", "json", "--quiet");
        var redirected = await RunAsync(errorIsTerminal: false, "--format", "json");

        // The bar stays with its final counts, a summary for whoever watched it.
        Assert.True(terminal.Error.Contains("5/5 sources, 5 certificates, 0 errors", StringComparison.Ordinal), terminal.Error.Replace("\u001b", "ESC", StringComparison.Ordinal));
        Assert.DoesNotContain("sources", terminal.Out);
        Assert.Empty(quiet.Error);
        Assert.Empty(redirected.Error);
        Assert.Equal(terminal.Out, redirected.Out);
    }

    private async Task<CliRun> RunAsync(bool errorIsTerminal, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr, OutIsTerminal: false, ErrorIsTerminal: errorIsTerminal);
        var exitCode = await CliApplication.RunAsync(["scan", _dir.Path, .. options], console).WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
