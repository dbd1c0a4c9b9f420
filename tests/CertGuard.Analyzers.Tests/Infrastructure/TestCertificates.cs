using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Certificates minted at test time with dates relative to now: a committed certificate would make the
/// expiry tests a time bomb, the very failure CertGuard exists to prevent.
/// </summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(WholeSeconds(notBefore), WholeSeconds(notAfter));
    }

    /// <summary>A certificate valid from a year ago until <paramref name="notAfter"/>.</summary>
    public static string PemExpiringAt(DateTimeOffset notAfter, string commonName = "CertGuard test")
    {
        using var certificate = Create(commonName, notAfter.AddYears(-1), notAfter);
        return certificate.ExportCertificatePem();
    }

    public static string Base64DerExpiringAt(DateTimeOffset notAfter, string commonName = "CertGuard test")
    {
        using var certificate = Create(commonName, notAfter.AddYears(-1), notAfter);
        return Convert.ToBase64String(certificate.RawData);
    }

    /// <summary>The instant truncated to whole seconds, as X.509 encodes it, so expected dates match the decoded ones.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The text as a regular C# string literal, with escapes.</summary>
    public static string RegularLiteral(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
