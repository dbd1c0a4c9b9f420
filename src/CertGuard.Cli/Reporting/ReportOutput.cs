using System.Text;
using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>Writes the report where it was asked for: a file (<c>--output</c>) or standard output.</summary>
internal static class ReportOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Streams the report (a large inventory is never held as one string) into a temporary file beside
    /// <paramref name="path"/>, flushed to disk, then renames it over <paramref name="path"/>: a full disk or a failed
    /// write leaves the previous report (or nothing), never a truncated one. The temporary file is removed on failure.
    /// </summary>
    private static async Task WriteFileAsync(string path, Action<TextWriter> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Join(Path.GetDirectoryName(full), $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
            await using (stream.ConfigureAwait(false))
            {
                var file = new StreamWriter(stream, Utf8NoBom, bufferSize: 64 * 1024);
                await using (file.ConfigureAwait(false))
                {
                    write(file);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (ArgumentOutOfRangeException ex) when (ex.TargetSite?.DeclaringType == typeof(RandomAccess))
        {
            // .NET reports EFBIG (a file-size limit, or a file system's largest file) this way; it is a write failure.
            TryDelete(temporary);
            throw new IOException("the file system refused to let the report grow", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the write error that brought us here is the one to report.
        }
    }

    public static async Task WriteAsync(Inventory inventory, ScanSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        var writer = ReportFormats.Writer(settings.Format);
        if (settings.OutputPath is { } path)
        {
            await WriteFileAsync(path, output => writer.Write(inventory, output, ReportTerminal.Plain), cancellationToken).ConfigureAwait(false);
            if (!settings.Quiet)
            {
                await console.WriteErrorLineAsync($"certguard: wrote {ReportValues.Summary(inventory)} to {path}").ConfigureAwait(false);
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
                await console.WriteErrorLineAsync($"certguard: error: {error.Source}: {error.Reason}: {error.Message}").ConfigureAwait(false);
            }
        }
    }
}
