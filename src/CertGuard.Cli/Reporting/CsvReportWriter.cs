using System.Globalization;
using CertGuard.Cli.Scanning;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// One row per certificate (RFC 4180), the JSON report's fields in the same order; load errors go to standard error.
/// Text that a spreadsheet would run as a formula (CWE-1236) is prefixed with an apostrophe; numbers are left alone.
/// </summary>
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
                Text(entry.Source), Text(facts.Subject), Text(facts.Issuer), facts.SerialNumber, facts.ThumbprintSha256,
                ReportValues.Iso(facts.NotBefore), ReportValues.Iso(facts.NotAfter),
                entry.Report.DaysRemaining.ToString(CultureInfo.InvariantCulture),
                facts.KeyAlgorithm, facts.KeySize?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                facts.SignatureAlgorithm, facts.SignatureHashAlgorithm ?? string.Empty, Text(ReportValues.Names(facts)),
                Bool(facts.IsCertificateAuthority), Bool(facts.IsSelfSigned), Bool(facts.HasPrivateKey),
                Text(entry.Owner ?? string.Empty), entry.Status.ToString(), ReportValues.FindingIds(entry.Report),
            ]);
        }
    }

    public static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    /// <summary>Neutralizes a cell taken from a certificate, a path or the owner map that starts like a formula.</summary>
    private static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string Bool(bool value) => value ? "true" : "false";

    private static void WriteRow(TextWriter output, IEnumerable<string> values)
    {
        output.Write(string.Join(',', values.Select(Escape)));
        output.Write("\r\n");
    }
}
