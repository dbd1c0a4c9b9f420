using CertGuard.Cli.Scanning;
using CertGuard.Policy;
using CertGuard.Display;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// The table for people: soonest expiry first, status coloured on a terminal, plain text otherwise. Every cell from a
/// certificate, file or peer shows control characters as escapes, and long cells end in an ellipsis so one huge
/// subject cannot push the other columns off a 240-column redirected table (the full values are in JSON).
/// </summary>
internal sealed class TableReportWriter : IReportWriter
{
    // Widest cells, chosen so a table of maximal cells with its borders still fits 240 columns.
    private const int SubjectWidth = 40;
    private const int SourceWidth = 56;
    private const int OwnerWidth = 20;
    private const int KeyWidth = 14;
    private const int HashWidth = 12;
    private const int FindingsWidth = 40;
    private const int ErrorSourceWidth = 72;
    private const int MessageWidth = 120;

    public bool IncludesErrors => true;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = terminal.Width;

        if (inventory.Certificates.Count > 0)
        {
            console.Write(CertificateTable(inventory, terminal));
        }

        if (inventory.Errors.Count > 0)
        {
            console.Write(ErrorTable(inventory, terminal));
        }

        console.WriteLine(ReportValues.Summary(inventory));
    }

    private static Table CertificateTable(Inventory inventory, ReportTerminal terminal)
    {
        var table = NewTable(terminal, "Status", "Expires", "Days", "Subject", "Source", "Owner", "Key", "Hash", "Findings");
        table.Columns[2].RightAligned();
        foreach (var entry in ReportValues.BySoonestExpiry(inventory))
        {
            var facts = entry.Report.Facts;
            table.AddRow(
                Status(entry.Status, terminal),
                Text(ReportValues.Date(facts.NotAfter)),
                Text(entry.Report.DaysRemaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Text(ReportValues.Name(facts), SubjectWidth),
                Text(entry.Source, SourceWidth, keepEnd: true),
                Text(entry.Owner ?? "-", OwnerWidth),
                Text(ReportValues.Key(facts), KeyWidth),
                Text(facts.SignatureHashAlgorithm ?? "-", HashWidth),
                Text(entry.Report.Findings.Count == 0 ? "-" : ReportValues.FindingIds(entry.Report), FindingsWidth));
        }

        return table;
    }

    private static Table ErrorTable(Inventory inventory, ReportTerminal terminal)
    {
        var table = NewTable(terminal, "Error", "Source", "Reason", "Message");
        foreach (var error in inventory.Errors)
        {
            table.AddRow(Status(CertificateStatus.Unhealthy, terminal, "Error"), Text(error.Source, ErrorSourceWidth, keepEnd: true), Text(error.Reason.ToString()), Text(error.Message, MessageWidth));
        }

        return table;
    }

    private static Table NewTable(ReportTerminal terminal, params string[] headers)
    {
        var table = new Table { Border = terminal.IsTerminal ? TableBorder.Rounded : TableBorder.Ascii2 };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header) { NoWrap = !terminal.IsTerminal });
        }

        return table;
    }

    // Spectre.Console.Text never interprets markup, so subjects with [brackets] are shown as they are.
    private static IRenderable Text(string value, int maxLength = int.MaxValue, bool keepEnd = false) =>
        new Text(Shorten(DisplayText.Escape(value), maxLength, keepEnd));

    /// <summary>Cuts a long cell to <paramref name="maxLength"/> with an ellipsis; a path keeps its end, where the file name is.</summary>
    public static string Shorten(string value, int maxLength, bool keepEnd = false)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        var kept = maxLength - 1;
        if (keepEnd)
        {
            var start = value.Length - kept;
            start += char.IsLowSurrogate(value[start]) ? 1 : 0;
            return "\u2026" + value[start..];
        }

        kept -= char.IsHighSurrogate(value[kept - 1]) ? 1 : 0;
        return value[..kept] + "\u2026";
    }

    private static IRenderable Status(CertificateStatus status, ReportTerminal terminal, string? label = null)
    {
        var colour = status switch
        {
            CertificateStatus.Unhealthy => Color.Red,
            CertificateStatus.Degraded => Color.Yellow,
            _ => Color.Green,
        };
        return new Text(label ?? status.ToString(), terminal.IsTerminal ? new Style(colour) : Style.Plain);
    }
}
