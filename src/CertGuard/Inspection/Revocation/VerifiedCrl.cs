namespace CertGuard.Inspection.Revocation;

/// <summary>
/// A CRL whose signature was verified, reduced to what lookups need: its dates and its entries indexed by serial
/// number.
/// </summary>
internal sealed class VerifiedCrl
{
    private readonly Dictionary<string, (DateTimeOffset RevokedAt, int? Reason)> _entries;

    public VerifiedCrl(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, Dictionary<string, (DateTimeOffset RevokedAt, int? Reason)> entries)
    {
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _entries = entries;
    }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public int Count => _entries.Count;

    /// <summary>
    /// The index key of a serial number given as a big-endian two's complement integer, with redundant leading
    /// sign bytes removed so that a BER-encoded entry and a certificate's serial agree.
    /// </summary>
    public static string Key(ReadOnlySpan<byte> serial)
    {
        while (serial.Length > 1 && ((serial[0] == 0x00 && serial[1] < 0x80) || (serial[0] == 0xFF && serial[1] >= 0x80)))
        {
            serial = serial[1..];
        }

        // One char a byte (Latin-1 maps every byte to the char of the same value): half the size of hex, and the
        // index holds a key for every entry of the CRL.
        return System.Text.Encoding.Latin1.GetString(serial);
    }

    public bool TryFind(Org.BouncyCastle.Math.BigInteger serialNumber, out DateTimeOffset revokedAt, out int? reason)
    {
        var found = _entries.TryGetValue(Key(serialNumber.ToByteArray()), out var entry);
        (revokedAt, reason) = entry;
        return found;
    }
}
