namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>Hand-made TLS records for peers that speak just enough TLS to misbehave convincingly.</summary>
public static class TlsRecords
{
    /// <summary>
    /// A well-formed TLS 1.2 ServerHello record (79 bytes), so a client reading it a byte at a time finds nothing wrong
    /// and keeps waiting for the certificate that would follow.
    /// </summary>
    /// <returns>The record.</returns>
    public static byte[] ServerHello()
    {
        byte[] header = [0x16, 0x03, 0x03, 0x00, 0x4a, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03];
        var random = Enumerable.Repeat((byte)0x5a, 32);
        var sessionId = Enumerable.Repeat((byte)0x3c, 32);
        return [.. header, .. random, 0x20, .. sessionId, 0xc0, 0x2f, 0x00];
    }

    /// <summary>A fatal TLS alert record.</summary>
    /// <param name="description">The alert: 40 handshake_failure, 70 protocol_version, ...</param>
    /// <returns>The record.</returns>
    public static byte[] FatalAlert(byte description) => [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description];
}
