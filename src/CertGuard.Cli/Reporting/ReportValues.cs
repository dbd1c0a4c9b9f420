using System.Globalization;
using CertGuard.Cli.Scanning;
using CertGuard.Inspection;
using CertGuard.Policy;

namespace CertGuard.Cli.Reporting;

/// <summary>How values read in every format, so a date or a key looks the same in the table, CSV and HTML.</summary>
internal static class ReportValues
{
    public static string Iso(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The common name when there is one, else the whole subject.</summary>
    public static string Name(CertificateFacts facts) =>
        string.IsNullOrEmpty(facts.SubjectCommonName) ? facts.Subject : facts.SubjectCommonName;

    public static string Key(CertificateFacts facts) => facts.KeySize is { } size ? $"{facts.KeyAlgorithm} {size}" : facts.KeyAlgorithm;

    public static string Names(CertificateFacts facts) => string.Join(" ", facts.SubjectAlternativeNames);

    public static string FindingIds(CertificateReport report) => string.Join(" ", report.Findings.Select(f => f.Id));

    public static string Summary(Inventory inventory)
    {
        var text = $"{inventory.Certificates.Count} certificate(s): {inventory.Count(CertificateStatus.Healthy)} healthy, "
            + $"{inventory.Count(CertificateStatus.Degraded)} degraded, {inventory.Count(CertificateStatus.Unhealthy)} unhealthy";
        return inventory.Errors.Count == 0 ? text : $"{text}; {inventory.Errors.Count} load error(s)";
    }

    /// <summary>Soonest expiry first, so what needs attention leads.</summary>
    public static IEnumerable<InventoryEntry> BySoonestExpiry(Inventory inventory) =>
        inventory.Certificates.OrderBy(c => c.Report.Facts.NotAfter).ThenBy(c => c.Source, StringComparer.Ordinal);
}
