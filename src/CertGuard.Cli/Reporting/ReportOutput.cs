using System.Text;
using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>Writes the report where it was asked for: a file (<c>--output</c>) or standard output.</summary>
internal static class ReportOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(Inventory inventory, ScanSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        var writer = ReportFormats.Writer(settings.Format);
        if (settings.OutputPath is { } path)
        {
            var buffer = new StringWriter();
            writer.Write(inventory, buffer, ReportTerminal.Plain);
            await File.WriteAllTextAsync(path, buffer.ToString(), Utf8NoBom, cancellationToken).ConfigureAwait(false);
            if (!settings.Quiet)
            {
                await console.Error.WriteLineAsync($"certguard: wrote {ReportValues.Summary(inventory)} to {path}").ConfigureAwait(false);
            }
        }
        else
        {
            writer.Write(inventory, console.Out, new ReportTerminal(console.OutIsTerminal, console.Width));
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!writer.IncludesErrors)
        {
            foreach (var error in inventory.Errors)
            {
                await console.Error.WriteLineAsync($"certguard: error: {error.Source}: {error.Reason}: {error.Message}").ConfigureAwait(false);
            }
        }
    }
}
