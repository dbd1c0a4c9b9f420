using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>Renders an inventory in one format.</summary>
internal interface IReportWriter
{
    /// <summary>Whether the format has a place for load errors; when not, they go to standard error.</summary>
    bool IncludesErrors { get; }

    /// <summary>Writes the report.</summary>
    /// <param name="inventory">What the scan found.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="terminal">Whether a person reads the output on a terminal (colour, width).</param>
    void Write(Inventory inventory, TextWriter output, ReportTerminal terminal);
}
