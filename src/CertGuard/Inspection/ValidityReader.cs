using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.X509;

namespace CertGuard.Inspection;

/// <summary>
/// Reads a certificate's validity period. On Linux the platform parses dates lazily and throws for encodings OpenSSL
/// reads leniently (UTCTime without seconds or Z, year-1 GeneralizedTime); BouncyCastle's parser is the fallback.
/// </summary>
internal static class ValidityReader
{
    public static bool TryRead(X509Certificate2 certificate, out DateTimeOffset notBefore, out DateTimeOffset notAfter)
    {
        try
        {
            notBefore = ToUtc(certificate.NotBefore);
            notAfter = ToUtc(certificate.NotAfter);
            return true;
        }
        catch (CryptographicException)
        {
            return TryReadManaged(certificate.RawData, out notBefore, out notAfter);
        }
    }

    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Read(X509Certificate2 certificate) =>
        TryRead(certificate, out var notBefore, out var notAfter)
            ? (notBefore, notAfter)
            : throw new CryptographicException("The certificate's validity dates cannot be read.");

    private static bool TryReadManaged(byte[] der, out DateTimeOffset notBefore, out DateTimeOffset notAfter)
    {
        try
        {
            var parsed = new X509CertificateParser().ReadCertificate(der);
            notBefore = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotBefore, DateTimeKind.Utc));
            notAfter = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotAfter, DateTimeKind.Utc));
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            notBefore = notAfter = default;
            return false;
        }
    }

    private static DateTimeOffset ToUtc(DateTime local) => new(local.ToUniversalTime(), TimeSpan.Zero);
}
