using CertGuard.Policy;

namespace CertGuard.Cli.Scanning;

/// <summary>One certificate in the inventory.</summary>
/// <param name="Source">Where it was found: the file and entry inside it, the store, or the endpoint.</param>
/// <param name="Report">Its facts, findings and status.</param>
internal sealed record InventoryEntry(string Source, CertificateReport Report)
{
    public string? Owner => Report.Owner;

    public CertificateStatus Status => Report.Status;
}
