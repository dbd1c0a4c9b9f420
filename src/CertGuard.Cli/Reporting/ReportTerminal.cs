namespace CertGuard.Cli.Reporting;

/// <summary>What the output is shown on: a terminal (colour, its width) or a file or pipe (plain, wide).</summary>
/// <param name="IsTerminal">Whether a person reads it on a terminal.</param>
/// <param name="Width">The width in characters.</param>
internal sealed record ReportTerminal(bool IsTerminal, int Width)
{
    public static ReportTerminal Plain { get; } = new(false, 240);
}
