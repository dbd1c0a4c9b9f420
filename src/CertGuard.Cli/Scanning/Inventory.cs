using CertGuard.Policy;

namespace CertGuard.Cli.Scanning;

/// <summary>Everything a scan found: every certificate (in the order the targets were given) and every load error.</summary>
internal sealed class Inventory
{
    public required IReadOnlyList<InventoryEntry> Certificates { get; init; }

    public required IReadOnlyList<InventoryError> Errors { get; init; }

    /// <summary>The moment the scan finished; days remaining are counted from it.</summary>
    public required DateTimeOffset ScannedAt { get; init; }

    public int Count(CertificateStatus status) => Certificates.Count(c => c.Status == status);

    /// <summary>
    /// Whether anything is at or above the <c>--fail-on</c> level. A load error counts as unhealthy, as in the
    /// library's <see cref="SourceScan.Status"/>: a certificate that cannot be read cannot be vouched for.
    /// </summary>
    public bool Fails(FailOn failOn) => failOn switch
    {
        FailOn.Never => false,
        FailOn.Degraded => Errors.Count > 0 || Certificates.Any(c => c.Status >= CertificateStatus.Degraded),
        _ => Errors.Count > 0 || Certificates.Any(c => c.Status >= CertificateStatus.Unhealthy),
    };
}
