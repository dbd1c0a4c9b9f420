using System.Globalization;
using System.Text;
using CertGuard.Cli.Scanning;
using CertGuard.Display;

namespace CertGuard.Cli.Reporting;

/// <summary>A Markdown table per certificate, soonest expiry first, then the load errors: for pull-request comments and wikis.</summary>
internal sealed class MarkdownReportWriter : IReportWriter
{
    public bool IncludesErrors => true;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        output.WriteLine("# Certificate inventory");
        output.WriteLine();
        output.WriteLine(ReportValues.Summary(inventory) + ".");
        output.WriteLine();
        output.WriteLine("| Status | Expires | Days | Subject | Source | Owner | Key | Hash | Findings |");
        output.WriteLine("| --- | --- | ---: | --- | --- | --- | --- | --- | --- |");
        foreach (var entry in ReportValues.BySoonestExpiry(inventory))
        {
            var facts = entry.Report.Facts;
            Row(output,
                entry.Status.ToString(), ReportValues.Date(facts.NotAfter), entry.Report.DaysRemaining.ToString(CultureInfo.InvariantCulture),
                ReportValues.Name(facts), entry.Source, entry.Owner ?? "-", ReportValues.Key(facts), facts.SignatureHashAlgorithm ?? "-",
                entry.Report.Findings.Count == 0 ? "-" : ReportValues.FindingIds(entry.Report));
        }

        if (inventory.Errors.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("## Load errors");
            output.WriteLine();
            output.WriteLine("| Source | Reason | Message |");
            output.WriteLine("| --- | --- | --- |");
            foreach (var error in inventory.Errors)
            {
                Row(output, error.Source, error.Reason.ToString(), error.Message);
            }
        }
    }

    /// <summary>Escapes what Markdown or HTML would otherwise interpret inside a table cell, and shows control characters.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in DisplayText.Escape(value))
        {
            switch (c)
            {
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '#':
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    private static void Row(TextWriter output, params string[] cells) =>
        output.WriteLine($"| {string.Join(" | ", cells.Select(Escape))} |");
}
