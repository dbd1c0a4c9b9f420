namespace CertGuard.Cli.Reporting;

/// <summary>The names of the report formats and the writer for each.</summary>
internal static class ReportFormats
{
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<ReportFormat>().Select(n => n.ToLowerInvariant()).ToList();

    public static bool TryParse(string text, out ReportFormat format)
    {
        var index = Names.ToList().IndexOf(text.Trim().ToLowerInvariant());
        format = index >= 0 ? (ReportFormat)index : default;
        return index >= 0;
    }

    public static IReportWriter Writer(ReportFormat format) => format switch
    {
        ReportFormat.Json => new JsonReportWriter(),
        ReportFormat.Csv => new CsvReportWriter(),
        ReportFormat.Markdown => new MarkdownReportWriter(),
        ReportFormat.Sarif => new SarifReportWriter(),
        ReportFormat.Html => new HtmlReportWriter(),
        _ => new TableReportWriter(),
    };
}
