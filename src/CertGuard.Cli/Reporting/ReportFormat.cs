namespace CertGuard.Cli.Reporting;

/// <summary>The report formats <c>--format</c> accepts.</summary>
internal enum ReportFormat
{
    Table,
    Json,
    Csv,
    Markdown,
    Sarif,
    Html,
}
