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
            // Streamed to the file: a large inventory is never held as one string.
            var file = new StreamWriter(path, append: false, Utf8NoBom, bufferSize: 64 * 1024);
            await using (file.ConfigureAwait(false))
            {
                writer.Write(inventory, file, ReportTerminal.Plain);
            }

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
