using CertGuard.Display;

namespace CertGuard.Cli;

/// <summary>Where the tool writes, and whether a person is watching each stream (colour, progress) or a program reads it.</summary>
/// <param name="Out">Standard output: the report.</param>
/// <param name="Error">Standard error: usage errors, load errors for formats without a place for them, progress.</param>
/// <param name="OutIsTerminal">Whether standard output is a terminal.</param>
/// <param name="ErrorIsTerminal">Whether standard error is a terminal.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutIsTerminal = false, bool ErrorIsTerminal = false)
{
    /// <summary>The process's own streams.</summary>
    public static CliConsole System => new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    /// <summary>The terminal width, or a wide default when the output is not a terminal.</summary>
    public int Width
    {
        get
        {
            try
            {
                return OutIsTerminal && Console.WindowWidth > 0 ? Console.WindowWidth : 240;
            }
            catch (IOException)
            {
                return 240;
            }
        }
    }

    /// <summary>
    /// Writes one line to standard error with control characters and bidirectional overrides shown as escapes:
    /// messages quote file names, subjects and what peers sent, and none of it may drive the terminal.
    /// </summary>
    public Task WriteErrorLineAsync(string line) => Error.WriteLineAsync(DisplayText.Escape(line));
}
