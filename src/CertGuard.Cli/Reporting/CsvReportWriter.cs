using System.Globalization;
using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>One row per certificate (RFC 4180), the JSON report's fields in the same order; load errors go to standard error.</summary>
internal sealed class CsvReportWriter : IReportWriter
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "source", "subject", "issuer", "serialNumber", "thumbprintSha256", "notBefore", "notAfter", "daysRemaining",
        "keyAlgorithm", "keySize", "signatureAlgorithm", "signatureHashAlgorithm", "subjectAlternativeNames",
        "isCertificateAuthority", "isSelfSigned", "hasPrivateKey", "owner", "status", "findings",
    ];

    public bool IncludesErrors => false;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        WriteRow(output, Header);
        foreach (var entry in inventory.Certificates)
        {
            var facts = entry.Report.Facts;
            WriteRow(output,
            [
                entry.Source, facts.Subject, facts.Issuer, facts.SerialNumber, facts.ThumbprintSha256,
                ReportValues.Iso(facts.NotBefore), ReportValues.Iso(facts.NotAfter),
                entry.Report.DaysRemaining.ToString(CultureInfo.InvariantCulture),
                facts.KeyAlgorithm, facts.KeySize?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                facts.SignatureAlgorithm, facts.SignatureHashAlgorithm ?? string.Empty, ReportValues.Names(facts),
                Bool(facts.IsCertificateAuthority), Bool(facts.IsSelfSigned), Bool(facts.HasPrivateKey),
                entry.Owner ?? string.Empty, entry.Status.ToString(), ReportValues.FindingIds(entry.Report),
            ]);
        }
    }

    public static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static string Bool(bool value) => value ? "true" : "false";

    private static void WriteRow(TextWriter output, IEnumerable<string> values)
    {
        output.Write(string.Join(',', values.Select(Escape)));
        output.Write("\r\n");
    }
}
