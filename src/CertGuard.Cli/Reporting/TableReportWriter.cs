using CertGuard.Cli.Scanning;
using CertGuard.Policy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CertGuard.Cli.Reporting;

/// <summary>The table for people: soonest expiry first, status coloured on a terminal, plain text otherwise.</summary>
internal sealed class TableReportWriter : IReportWriter
{
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
                Text(ReportValues.Name(facts)),
                Text(entry.Source),
                Text(entry.Owner ?? "-"),
                Text(ReportValues.Key(facts)),
                Text(facts.SignatureHashAlgorithm ?? "-"),
                Text(entry.Report.Findings.Count == 0 ? "-" : ReportValues.FindingIds(entry.Report)));
        }

        return table;
    }

    private static Table ErrorTable(Inventory inventory, ReportTerminal terminal)
    {
        var table = NewTable(terminal, "Error", "Source", "Reason", "Message");
        foreach (var error in inventory.Errors)
        {
            table.AddRow(Status(CertificateStatus.Unhealthy, terminal, "Error"), Text(error.Source), Text(error.Reason.ToString()), Text(error.Message));
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
    private static IRenderable Text(string value) => new Text(value);

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
