using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>What a TLS server on 127.0.0.1 presents, seen through CertGuard's own endpoint source.</summary>
public static class ServedCertificate
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);

    /// <summary>The SHA-1 thumbprint (as <c>X509Certificate2.Thumbprint</c>) of the certificate served, or the load error.</summary>
    public static async Task<string> ThumbprintAsync(int port, string? serverName = null)
    {
        var source = new TlsEndpointCertificateSource("127.0.0.1", port, serverName) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard, Timeout = HangGuard };
        using var result = await source.LoadAsync(CancellationToken.None);
        return result.Certificates.Count == 1 ? result.Certificates[0].Certificate.Thumbprint : $"error: {string.Join("; ", result.Errors)}";
    }

    /// <summary>Everything the server presented, or the load error; the caller disposes it.</summary>
    public static async Task<CertificateLoadResult> LoadAsync(int port, string? serverName = null)
    {
        var source = new TlsEndpointCertificateSource("127.0.0.1", port, serverName) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard, Timeout = HangGuard };
        return await source.LoadAsync(CancellationToken.None);
    }

    /// <summary>Handshakes until the server presents <paramref name="thumbprint"/> or the hang guard runs out.</summary>
    public static async Task<string> WaitForAsync(int port, string thumbprint, string? serverName = null)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        string served;
        do
        {
            served = await ThumbprintAsync(port, serverName);
            if (served == thumbprint)
            {
                return served;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return served;
    }
}
