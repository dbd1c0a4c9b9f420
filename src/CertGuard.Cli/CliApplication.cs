using System.CommandLine;
using System.CommandLine.Help;
using CertGuard.Cli.Scanning;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;

namespace CertGuard.Cli;

/// <summary>
/// The <c>certguard</c> command line: parses arguments, runs the command and returns the exit code. The process
/// entry point and the tests both come through here, so tests exercise exactly what users run.
/// </summary>
internal sealed class CliApplication
{
    private readonly IRevocationChecker? _revocationChecker;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the application.</summary>
    /// <param name="revocationChecker">Checks revocation when <c>--revocation</c> asks for it; none when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public CliApplication(IRevocationChecker? revocationChecker = null, TimeProvider? timeProvider = null)
    {
        _revocationChecker = revocationChecker;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs the tool with the default composition, writing to the given streams.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(stdout, stderr), cancellationToken);

    /// <summary>Runs the tool with the default composition: the library's OCSP and CRL revocation checker.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Where to write.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        using var revocationChecker = new OcspCrlRevocationChecker();
        return await new CliApplication(revocationChecker).RunAsync((IReadOnlyList<string>)args, console, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Where to write.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default)
    {
        // A RootCommand names itself after the entry assembly (CertGuard.Cli, or the test host); usage must say `certguard`.
        var root = new Command("certguard", "certguard: an inventory and health audit of X.509 certificates in files, stores and TLS endpoints.")
        {
            new HelpOption(),
            new VersionOption(),
            new ScanCommand(console, _revocationChecker, _timeProvider),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.WriteErrorLineAsync($"certguard: {error.Message}").ConfigureAwait(false);
            }

            await console.WriteErrorLineAsync("Run 'certguard scan --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.WriteErrorLineAsync("certguard: cancelled.").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await console.WriteErrorLineAsync($"certguard: internal error ({ex.GetType().Name}: {ex.Message}). Please report it.").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }
}
