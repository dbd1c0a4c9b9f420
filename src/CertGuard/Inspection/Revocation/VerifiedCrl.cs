using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// A CRL whose signature was verified, reduced to what lookups need: its dates and its entries indexed by serial
/// number. BouncyCastle's own lookup walks every entry, and the parsed CRL holds far more memory than the index.
/// </summary>
internal sealed class VerifiedCrl
{
    private readonly Dictionary<string, (DateTimeOffset RevokedAt, int? Reason)> _entries;

    private VerifiedCrl(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, Dictionary<string, (DateTimeOffset, int?)> entries)
    {
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _entries = entries;
    }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public int Count => _entries.Count;

    public static VerifiedCrl From(X509Crl crl)
    {
        var entries = new Dictionary<string, (DateTimeOffset, int?)>(StringComparer.Ordinal);
        foreach (var entry in crl.GetRevokedCertificates() ?? Enumerable.Empty<X509CrlEntry>())
        {
            var reason = ReasonOf(entry);
            // removeFromCRL only has a meaning in delta CRLs, which are refused; an entry carrying it is not a revocation.
            if (reason != CrlReason.RemoveFromCrl)
            {
                entries[entry.SerialNumber.ToString(16)] = (Utc(entry.RevocationDate), reason);
            }
        }

        return new VerifiedCrl(Utc(crl.ThisUpdate), crl.NextUpdate is { } next ? Utc(next) : null, entries);
    }

    public bool TryFind(Org.BouncyCastle.Math.BigInteger serialNumber, out DateTimeOffset revokedAt, out int? reason)
    {
        var found = _entries.TryGetValue(serialNumber.ToString(16), out var entry);
        (revokedAt, reason) = entry;
        return found;
    }

    private static int? ReasonOf(X509CrlEntry entry)
    {
        try
        {
            return entry.GetExtensionValue(X509Extensions.ReasonCode) is { } value
                ? CrlReason.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).IntValueExact
                : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static DateTimeOffset Utc(DateTime moment) => new(DateTime.SpecifyKind(moment, DateTimeKind.Utc));
}
